using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Worker.Embedded;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.Bench;

/// <summary>
/// One run, one embedded cluster: a Streamiz DSL topology — filter → stream-table join → aggregate → to, with
/// RocksDB stores and their changelogs — against the raw consume→produce pipe over the same number of records, plus
/// the bytes the process allocates per record in each (managed heap, all threads). With <c>--otto</c> the stream gets
/// Otto's Kafka supplier (records tracked for dead letters, internal topics created on the mock) instead of
/// Streamiz's own.
/// </summary>
public sealed class EmbeddedTopology : IBenchmark
{
    private const int Partitions = 4, Customers = 1_000;
    private const string App = "embench-app", Orders = "embench.orders", CustomersTopic = "embench.customers", Totals = "embench.totals";
    private static readonly StringSerDes Strings = new();
    private static readonly Int64SerDes Longs = new();

    /// <inheritdoc />
    public string Name => "embedded";

    /// <inheritdoc />
    public string Description => "filter → join → aggregate → to on Streamiz on the embedded cluster vs the raw consume→produce pipe, bytes/record [records, default 100000] [--otto: Otto's Kafka supplier]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        var options = new BenchArgs(args);
        var ottoSupplier = options.Flag("otto");
        var records = (int)options.Number(0, 100_000);
        await using var cluster = await DevCluster.StartAsync("embench", Partitions);
        // Streamiz's own admin client cannot create topics on the mock: its internal topics are created here (Streamiz
        // gives a table read from a topic a changelog of its own too).
        foreach (var topic in new[] { Orders, CustomersTopic, Totals, "embench.raw.in", "embench.raw.out", $"{App}-embench-customers-changelog", $"{App}-embench-totals-changelog" })
            cluster.Kafka.CreateTopic(topic, Partitions);

        // Orders keyed by customer, amount as text; one in ten has amount 0 and is filtered out.
        var orders = Enumerable.Range(0, records).Select(i => Message($"c{i % Customers}", (i % 10 == 0 ? 0 : i % 100 + 1).ToString(CultureInfo.InvariantCulture))).ToList();
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, CustomersTopic, Enumerable.Range(0, Customers).Select(c => Message($"c{c}", $"region-{c % 10}")));
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, Orders, orders);
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, "embench.raw.in", orders);
        output.WriteLine($"bench: {records:N0} orders for {Customers:N0} customers produced; Kafka supplier: {(ottoSupplier ? "Otto's" : "Streamiz's")}");

        var rawAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var raw = EmbeddedRawPipe.Run(cluster.BootstrapServers, "embench.raw.in", "embench.raw.out", records, output);
        rawAllocated = GC.GetTotalAllocatedBytes(precise: true) - rawAllocated;
        output.WriteLine($"bench: raw pipe {records:N0} records in {raw.TotalSeconds:F2}s");

        var topologyAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var topology = await RunTopologyAsync(cluster, records + Customers, ottoSupplier, output);
        topologyAllocated = GC.GetTotalAllocatedBytes(precise: true) - topologyAllocated;
        output.WriteLine($"bench: topology {records:N0} orders (+{Customers:N0} customers) in {topology.TotalSeconds:F2}s");

        var rawEps = records / raw.TotalSeconds;
        var topologyEps = records / topology.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: topology_eps={topologyEps:F0} raw_pipe_eps={rawEps:F0} ratio={topologyEps / rawEps:F3} " +
            $"topology_bytes_per_record={topologyAllocated / records} raw_bytes_per_record={rawAllocated / records} supplier={(ottoSupplier ? "otto" : "streamiz")}"));
    }

    private static Message<byte[], byte[]> Message(string key, string value) =>
        new() { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(value) };

    private static Topology Build()
    {
        var builder = new StreamBuilder();
        var customers = builder.Table(CustomersTopic, Strings, Strings, RocksDb.As<string, string>("embench-customers"));
        builder.Stream(Orders, Strings, Strings)
            .Filter((_, amount, _) => amount != "0")
            .Join(customers, (amount, _) => long.Parse(amount, CultureInfo.InvariantCulture))
            .GroupByKey<StringSerDes, Int64SerDes>()
            .Aggregate(() => 0L, (_, amount, total) => total + amount, RocksDb.As<string, long>("embench-totals").WithKeySerdes(Strings).WithValueSerdes(Longs))
            .ToStream()
            .To(Totals, Strings, Longs);
        return builder.Build();
    }

    // The clock starts when the stream is running (group joined, nothing to restore) and stops after Dispose: each
    // thread's closing commit flushes the producer, so the output and changelogs are written when it stops.
    private static async Task<TimeSpan> RunTopologyAsync(DevCluster cluster, int inputs, bool ottoSupplier, TextWriter output)
    {
        var clock = new Stopwatch();
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = App,
            BootstrapServers = cluster.BootstrapServers,
            StateDir = Path.Combine(Path.GetTempPath(), "otto-embench", Guid.NewGuid().ToString("N")),
            Logger = BenchLogging.Loggers,
            // Streamiz leaves the main consumer at librdkafka's default, latest (Kafka Streams: earliest): the input was
            // produced before the group existed.
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        config.CommitIntervalMs = 5_000; // as Otto's worker
        foreach (var (key, value) in DevCluster.ClientProperties) config.AddConfig(key, value);
        var stream = ottoSupplier
            ? new KafkaStream(Build(), config, new OttoKafkaSupplier(config, cluster.Kafka))
            : new KafkaStream(Build(), config);
        var failed = false;
        stream.StateChanged += (_, now) =>
        {
            if (now == KafkaStream.State.RUNNING && !clock.IsRunning) clock.Start();
            if (now == KafkaStream.State.ERROR) failed = true;
        };
        try
        {
            await stream.StartAsync();
            var lastReport = Stopwatch.StartNew();
            var deadline = Stopwatch.StartNew();
            while (StreamizProgress.Processed(stream) < inputs)
            {
                if (Volatile.Read(ref failed)) throw new InvalidOperationException("The topology failed (state ERROR).");
                if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"Gave up after 10 minutes: {StreamizProgress.Processed(stream):N0}/{inputs:N0}.");
                Thread.Sleep(10);
                if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
                {
                    output.WriteLine($"bench: topology {StreamizProgress.Processed(stream):N0}/{inputs:N0}");
                    lastReport.Restart();
                }
            }
        }
        finally
        {
            stream.Dispose();
        }
        clock.Stop();
        try { Directory.Delete(config.StateDir, recursive: true); }
        catch (IOException) { } // RocksDB still closing; the temp directory is the OS's to clean
        return clock.Elapsed;
    }
}
