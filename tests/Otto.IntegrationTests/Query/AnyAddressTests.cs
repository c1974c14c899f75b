using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Embedded;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.IntegrationTests.Query;

/// <summary>
/// README's container setting as a process: `otto run` on 0.0.0.0 (with the read side's key) and port 0 starts, logs
/// the port it got, advertises it to the other instances, and serves probes, metrics and (with the key only) the read
/// side there. Regression: Otto__Metrics__Host=0.0.0.0 killed the worker at start (HttpListener takes no 0.0.0.0).
/// </summary>
public class AnyAddressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90); // a child process starting and joining the group
    private const string App = "otto-anyaddr";
    private const string Key = "container-read-side-key";

    [Fact]
    public async Task On_every_interface_and_port_0_the_worker_serves_logs_and_advertises_the_port_it_got()
    {
        await using var cluster = await DevCluster.StartAsync("anyaddr", partitions: 1, applicationId: App);
        using var instances = new TopicReader<string, byte[]>(cluster.BootstrapServers, InstanceDirectory.TopicFor(App), new StringSerDes(), new ByteArraySerDes());
        var start = OttoCommand.StartInfo("run", "--bootstrap", cluster.BootstrapServers, "--schema-registry", cluster.RegistryUrl.ToString(), "--env", "anyaddr",
            "--state-dir", Directory.CreateTempSubdirectory("otto-anyaddr-").FullName);
        foreach (var (key, value) in DevCluster.ClientProperties) start.Environment[$"Otto__Kafka__Properties__{key}"] = value;
        foreach (var (name, value) in new Dictionary<string, string>
                 {
                     ["Otto__Streams__ApplicationId"] = App,
                     ["Otto__SchemaRegistry__AutoRegisterSchemas"] = "true",
                     ["Otto__Metrics__Host"] = "0.0.0.0",
                     ["Otto__Metrics__Port"] = "0",
                     ["Otto__Query__ApiKey"] = Key,
                 })
            start.Environment[name] = value;
        var log = new ConcurrentQueue<string>();
        using var worker = Process.Start(start)!;
        worker.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            // The port Kestrel bound, from the worker's own log line.
            var listening = await Eventually.Get(() => log.Select(l => Regex.Match(l, @"Metrics on http://0\.0\.0\.0:(\d+)/metrics")).FirstOrDefault(m => m.Success),
                Wait, "the worker logging where it listens");
            var port = int.Parse(listening.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.NotEqual(0, port);
            var advertised = $"http://{Dns.GetHostName().ToLowerInvariant()}:{port}/";
            // Its own log line, which may come a moment after the first.
            await Eventually.True(() => log.Any(l => l.Contains($"advertised to the other instances as {advertised}", StringComparison.OrdinalIgnoreCase)),
                Wait, $"the worker logging that it advertises {advertised}");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
            await Eventually.True(() => http.GetAsync("health/ready").GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK, Wait, "the worker ready");
            Assert.Contains("# TYPE", await http.GetStringAsync("metrics"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("flags")).StatusCode);
            using (var request = new HttpRequestMessage(HttpMethod.Get, "flags") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Key) } })
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
            // Published in the instance directory under the URL with the real port: the others route there.
            await Eventually.True(() => instances.Records.Any(r => string.Equals(r.Key, advertised, StringComparison.OrdinalIgnoreCase)), Wait,
                $"{advertised} in {InstanceDirectory.TopicFor(App)}");

            Process.Start("kill", ["-TERM", worker.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
            Assert.True(worker.WaitForExit(Wait), "the worker exits after SIGTERM");
            Assert.Equal(0, worker.ExitCode);
            Assert.DoesNotContain(log, l => l.Contains(Key));
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
            output.WriteLine(string.Join("\n", log.Where(l => !l.StartsWith("      ", StringComparison.Ordinal) || l.Contains("Otto", StringComparison.Ordinal))));
        }
    }
}
