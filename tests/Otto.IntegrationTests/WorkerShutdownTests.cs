using Otto.Schemas.Registry;
using System.Diagnostics;
using System.Net;
using Confluent.Kafka;
using Otto.Payments;
using Streamiz.Kafka.Net.SerDes;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests;

/// <summary>The deployed worker as a process: it serves its probes and metrics, and on SIGTERM it finishes,
/// commits, flushes and exits 0 — with a commit interval of an hour, only the shutdown commits the offsets.</summary>
public class WorkerShutdownTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90); // a child process starting and joining the group: 31 s seen at load 30 on 2 cores
    private const string App = "otto-sigterm";

    [Fact]
    public async Task Sigterm_commits_what_was_processed_and_the_worker_exits_0()
    {
        await using var cluster = await DevCluster.StartAsync("sigterm", partitions: 1, applicationId: App);
        var topics = new PaymentTopics("sigterm");
        var port = ListenPorts.Free(1)[0];
        using var worker = StartWorker(cluster, port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        try
        {
            await Eventually.True(() => Status(http, "health/ready") == HttpStatusCode.OK, Wait, "the worker to be ready");

            var serdes = new PaymentsSerDes(OttoRuntime.Registry(new SchemaRegistryOptions { Url = cluster.RegistryUrl.ToString() }), autoRegisterSchemas: true);
            using var changelog = new TopicReader<byte[], byte[]>(cluster.BootstrapServers, $"{App}-payments-changelog", new ByteArraySerDes(), new ByteArraySerDes());
            using (var producer = PaymentFacts.Producer(cluster.BootstrapServers))
            {
                for (var i = 0; i < 20; i++) producer.Produce(serdes, topics.PaymentAdded, $"p{i}", PaymentFacts.Added($"p{i}", $"e{i}"));
                producer.Flush();
            }
            await Eventually.True(() => FactsApplied(http) >= 20, Wait, "the 20 payments applied (otto_payments_facts_total)");
            Assert.Contains("# TYPE otto_payments_facts_total counter", await http.GetStringAsync("metrics"));
            Assert.Equal(0, Committed(cluster, topics.PaymentAdded));

            Process.Start("kill", ["-TERM", worker.Id.ToString()])!.WaitForExit();
            Assert.True(worker.WaitForExit(Wait), "the worker exits after SIGTERM");
            Assert.Equal(0, worker.ExitCode);
            Assert.Equal(20, Committed(cluster, topics.PaymentAdded));
            await Eventually.True(() => changelog.Records.Count >= 20, Wait, "the 20 payments in the store's changelog");
        }
        finally
        {
            if (!worker.HasExited) worker.Kill();
        }
    }

    private static double FactsApplied(HttpClient http) =>
        PrometheusText.Sum(http.GetStringAsync("metrics").GetAwaiter().GetResult(), "otto_payments_facts_total");

    private static Process StartWorker(DevCluster cluster, int port)
    {
        var start = OttoCommand.StartInfo("run",
            "--bootstrap", cluster.BootstrapServers, "--schema-registry", cluster.RegistryUrl.ToString(), "--env", "sigterm",
            "--state-dir", Path.Combine(Path.GetTempPath(), "otto-sigterm", Guid.NewGuid().ToString("N")));
        start.Environment["Otto__Streams__ApplicationId"] = App;
        start.Environment["Otto__Streams__CommitInterval"] = "01:00:00";
        start.Environment["Otto__SchemaRegistry__AutoRegisterSchemas"] = "true";
        start.Environment["Otto__Metrics__Port"] = port.ToString();
        foreach (var (key, value) in DevCluster.ClientProperties) start.Environment[$"Otto__Kafka__Properties__{key}"] = value;
        var process = Process.Start(start)!;
        // Drain the worker's output so it never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static HttpStatusCode? Status(HttpClient http, string path)
    {
        try { return http.GetAsync(path).GetAwaiter().GetResult().StatusCode; }
        catch (HttpRequestException) { return null; }
    }

    private static long Committed(DevCluster cluster, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = App }).Build();
        var offset = consumer.Committed([new TopicPartition(topic, 0)], TimeSpan.FromSeconds(10))[0].Offset;
        return offset.IsSpecial ? 0 : offset.Value;
    }
}
