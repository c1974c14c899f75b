using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>The embedded cluster serves other processes too: kcat (apt: kcat; ./otto installs it).</summary>
public sealed class KcatTests
{
    [Fact]
    public void Kcat_in_another_process_lists_metadata_and_produces()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        cluster.CreateTopic("from-kcat", 8);

        var listing = Kcat($"-b {cluster.BootstrapServers} -L -J -t from-kcat", stdin: null);
        using (var json = JsonDocument.Parse(listing))
        {
            Assert.Equal(2, json.RootElement.GetProperty("brokers").GetArrayLength());
            var topic = json.RootElement.GetProperty("topics").EnumerateArray().Single();
            Assert.Equal("from-kcat", topic.GetProperty("topic").GetString());
            Assert.Equal(8, topic.GetProperty("partitions").GetArrayLength());
        }

        Kcat($"-b {cluster.BootstrapServers} -t from-kcat -P -K :", stdin: "a:1\nb:2\nc:3\n");

        using var consumer = Clients.Consumer(cluster, "kcat-check");
        consumer.Subscribe("from-kcat");
        var got = new List<string>();
        Eventually.Repeat(() =>
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is not null)
            {
                got.Add($"{r.Message.Key}:{r.Message.Value}");
            }

            return got.Count == 3;
        }, Eventually.DefaultTimeout, "the three records kcat produced");
        Assert.Equal(new[] { "a:1", "b:2", "c:3" }, got.Order());
        consumer.Close();
    }

    private static string Kcat(string arguments, string? stdin)
    {
        var start = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kcat is not on PATH: install it (apt-get install kcat) or run ./otto test", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kcat {arguments} did not finish in 30 s");
            }

            Assert.True(process.ExitCode == 0, $"kcat {arguments} exited {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
    }
}
