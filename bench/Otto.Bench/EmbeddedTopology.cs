using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.SerDes;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Demo;
using Otto.Streams.Worker.Embedded;

namespace Otto.Bench;

/// <summary>
/// One run, one embedded cluster: a DSL topology — filter → stream-table join → aggregate → to, with the
/// default (RocksDB) stores and their changelogs — against the raw consume→produce pipe over the same number of
/// records, plus the bytes the process allocates per record in each (managed heap, all threads).
/// </summary>
public sealed class EmbeddedTopology : IBenchmark
{
    private const int Partitions = 4, Customers = 1_000;
    private const string Orders = "embench.orders", CustomersTopic = "embench.customers", Totals = "embench.totals";
    private static readonly StringSerDes Strings = new();
    private static readonly Int64SerDes Longs = new();

    public string Name => "embedded";

    public string Description => "filter → join → aggregate → to on the embedded cluster vs the raw consume→produce pipe, bytes/record [records, default 100000]";

    public async Task RunAsync(string[] args, TextWriter output)
    {
        var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        await using var cluster = await DevCluster.StartAsync("embench", Partitions);
        foreach (var topic in new[] { Orders, CustomersTopic, Totals, "embench.raw.in", "embench.raw.out" }) cluster.Kafka.CreateTopic(topic, Partitions);

        // Orders keyed by customer, amount as text; one in ten has amount 0 and is filtered out.
        var orders = Enumerable.Range(0, records).Select(i => Message($"c{i % Customers}", (i % 10 == 0 ? 0 : i % 100 + 1).ToString(CultureInfo.InvariantCulture))).ToList();
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, CustomersTopic, Enumerable.Range(0, Customers).Select(c => Message($"c{c}", $"region-{c % 10}")));
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, Orders, orders);
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, "embench.raw.in", orders);
        output.WriteLine($"bench: {records:N0} orders for {Customers:N0} customers produced");

        var rawAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var raw = EmbeddedRawPipe.Run(cluster.BootstrapServers, "embench.raw.in", "embench.raw.out", records, output);
        rawAllocated = GC.GetTotalAllocatedBytes(precise: true) - rawAllocated;
        output.WriteLine($"bench: raw pipe {records:N0} records in {raw.TotalSeconds:F2}s");

        var topologyAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var topology = RunTopology(cluster, records + Customers, output);
        topologyAllocated = GC.GetTotalAllocatedBytes(precise: true) - topologyAllocated;
        output.WriteLine($"bench: topology {records:N0} orders (+{Customers:N0} customers) in {topology.TotalSeconds:F2}s");

        var rawEps = records / raw.TotalSeconds;
        var topologyEps = records / topology.TotalSeconds;
        output.WriteLine($"bench: topology_eps={topologyEps:F0} raw_pipe_eps={rawEps:F0} ratio={topologyEps / rawEps:F3} " +
            $"topology_bytes_per_record={topologyAllocated / records} raw_bytes_per_record={rawAllocated / records}");
    }

    private static Message<byte[], byte[]> Message(string key, string value) =>
        new() { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) };

    private static Topology Build()
    {
        var builder = new StreamBuilder();
        var customers = builder.Table(CustomersTopic, Materialized<string, string>.As("embench-customers").With(Strings, Strings));
        builder.Stream<string, string>(Orders, Strings, Strings)
            .Filter((_, amount) => amount != "0")
            .Join(customers, (amount, _) => long.Parse(amount, CultureInfo.InvariantCulture))
            .GroupByKey(Grouped<string, long>.With(Strings, Longs))
            .Aggregate(() => 0L, (_, amount, total) => total + amount, Materialized<string, long>.As("embench-totals").With(Strings, Longs))
            .ToStream()
            .To(Totals, Strings, Longs);
        return builder.Build();
    }

    // The clock starts when the stream is running (group joined) and stops after the closing commit.
    private static TimeSpan RunTopology(DevCluster cluster, int inputs, TextWriter output)
    {
        using var progress = new ProgressMeter();
        var clock = new Stopwatch();
        var config = new StreamConfig
        {
            ApplicationId = "embench-app",
            BootstrapServers = cluster.BootstrapServers,
            ClientProperties = DevCluster.ClientProperties,
            CommitInterval = TimeSpan.FromSeconds(5),
            StateDir = Path.Combine(Path.GetTempPath(), "otto-embench", Guid.NewGuid().ToString("N")),
        };
        using var stream = new KafkaStream(Build(), config, topicManager: cluster.TopicManager);
        stream.StateChanged += (_, now) => { if (now == KafkaStreamState.Running && !clock.IsRunning) clock.Start(); };
        stream.Start();
        var lastReport = Stopwatch.StartNew();
        while (progress.Total("otto.streams.records.processed") < inputs)
        {
            if (stream.State == KafkaStreamState.Error) throw new InvalidOperationException("The topology failed.", stream.FatalError);
            Thread.Sleep(10);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
            {
                output.WriteLine($"bench: topology {progress.Total("otto.streams.records.processed"):N0}/{inputs:N0} ({stream.State})");
                lastReport.Restart();
            }
        }
        stream.Close();
        clock.Stop();
        return clock.Elapsed;
    }
}
