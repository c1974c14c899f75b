using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Payments;
using Otto.Streams;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Demo;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;

namespace Otto.Bench;

/// <summary>
/// One run, one embedded cluster, the same records: (a) a raw Confluent.Kafka consume→produce pipe, the
/// yardstick; (b) the Otto slice topology folding the same PaymentAdded facts into its store (with changelog).
/// Each clock starts when the consumer has its partitions, so group joins are not counted.
/// </summary>
public sealed class PipeVersusTopology : IBenchmark
{
    private const int Partitions = 4;

    public string Name => "pipe";

    public string Description => "Otto slice topology vs raw consume→produce pipe on the embedded cluster [records, default 100000]";

    public Task RunAsync(string[] args, TextWriter output) =>
        RunAsync(args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000, output);

    private static async Task RunAsync(int records, TextWriter output)
    {
        await using var cluster = await DevCluster.StartAsync("bench", Partitions);
        foreach (var topic in new[] { "bench.raw.in", "bench.raw.out" }) cluster.Kafka.CreateTopic(topic, Partitions);
        var options = cluster.WorkerOptions("otto-bench", new PaymentsOptions { Env = "bench" }, TimeSpan.FromSeconds(5));
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var topics = new PaymentTopics("bench");

        output.WriteLine($"bench: producing {records:N0} PaymentAdded records to both inputs...");
        var facts = Facts(records, new PaymentsSerDes(registry, true), topics.PaymentAdded);
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, "bench.raw.in", facts);
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, topics.PaymentAdded, facts);
        var bytes = facts.Average(f => f.Value.Length);
        output.WriteLine($"bench: average value size {bytes:F0} bytes");

        var raw = EmbeddedRawPipe.Run(cluster.BootstrapServers, "bench.raw.in", "bench.raw.out", records, output);
        output.WriteLine($"bench: raw pipe {records:N0} records in {raw.TotalSeconds:F2}s");
        var topology = Topology(options, registry, cluster, records, output);
        output.WriteLine($"bench: topology {records:N0} records in {topology.TotalSeconds:F2}s");

        var rawEps = records / raw.TotalSeconds;
        var topologyEps = records / topology.TotalSeconds;
        output.WriteLine($"bench: topology_eps={topologyEps:F0} raw_pipe_eps={rawEps:F0} ratio={topologyEps / rawEps:F3}");
    }

    private static List<Message<byte[], byte[]>> Facts(int count, PaymentsSerDes serdes, string topic)
    {
        var keyContext = new SerializationContext(MessageComponentType.Key, topic);
        var valueContext = new SerializationContext(MessageComponentType.Value, topic);
        var valueSerDes = serdes.Value<PaymentAdded>();
        var start = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, count).Select(i =>
        {
            var id = $"bench-{i:D7}";
            return new Message<byte[], byte[]>
            {
                Key = serdes.Key.Serialize(id, keyContext),
                Value = valueSerDes.Serialize(new PaymentAdded
                {
                    EventId = $"{id}-added", PaymentId = id, OccurredAt = start, Rail = PaymentRail.SEPA,
                    DebtorAccount = "DE0001", CreditorAccount = "DE0002", Amount = 100m + i % 1000, Currency = "EUR",
                    Status = PaymentStatus.COMPLETED,
                }, valueContext),
            };
        }).ToList();
    }

    private static TimeSpan Topology(OttoOptions options, Otto.Streams.Avro.Registry.ISchemaRegistryClient registry, DevCluster cluster, int records, TextWriter output)
    {
        using var progress = new ProgressMeter();
        var clock = new Stopwatch();
        using var stream = StreamHost.Start(options, registry, NullLoggerFactory.Instance, cluster.TopicManager);
        stream.StateChanged += (_, now) => { if (now == KafkaStreamState.Running && !clock.IsRunning) clock.Start(); };
        if (stream.State == KafkaStreamState.Running && !clock.IsRunning) clock.Start();
        var lastReport = Stopwatch.StartNew();
        while (progress.Total("otto.payments.facts") < records)
        {
            if (stream.State == KafkaStreamState.Error) throw new InvalidOperationException("The topology failed.", stream.FatalError);
            Thread.Sleep(10);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5)) { output.WriteLine($"bench: topology {progress.Total("otto.payments.facts"):N0}/{records:N0}"); lastReport.Restart(); }
        }
        stream.Close(); // commits: flushes the changelog and offsets, which belong to the work measured
        clock.Stop();
        return clock.Elapsed;
    }
}
