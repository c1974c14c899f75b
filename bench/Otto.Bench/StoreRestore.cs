using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Otto.Payments;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.Bench;

/// <summary>
/// Streamiz's restoration speed from the embedded cluster: a changelog filled up to what the mock keeps per partition
/// (~5 MiB) is restored by a fresh instance into a RocksDB store, then into an in-memory one; a raw consumer reading
/// the same partitions to their end is the yardstick. Each restore clock runs from Streamiz's first restore-start
/// event (after the group join) to its last restored batch.
/// </summary>
public sealed class StoreRestore : IBenchmark
{
    private const string App = "bench-restore";
    private const string Changelog = App + "-kv-changelog";

    /// <inheritdoc />
    public string Name => "store-restore";

    /// <inheritdoc />
    public string Description => "Streamiz's changelog restoration from the embedded cluster: RocksDB vs in-memory vs raw consumer [partitions, default 4] [--max-poll-restoring-records=N, default Otto's 10000 (Streamiz's: 1000)] [--set=key=value ...: Otto:Kafka:Properties]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        var arguments = new BenchArgs(args);
        var partitions = (int)arguments.Number(0, 4);
        // Streamiz restores at most this many records per pass of its thread's loop, and the loop then polls for up to
        // PollMs (Streamiz's 100 ms, Otto's 10 ms): Streamiz's 1,000 with its 100 ms caps restoration at ~10,000 records/s.
        var batch = (long)arguments.Number("max-poll-restoring-records", new StreamsOptions().MaxPollRestoringRecords);
        await using var cluster = await DevCluster.StartAsync("bench", partitions);
        cluster.Kafka.CreateTopic("in", partitions);
        cluster.Kafka.CreateTopic(Changelog, partitions);
        var records = Fill(cluster, partitions, output);

        var raw = RawRead(cluster, partitions, records);
        output.WriteLine($"bench: raw consumer read {records:N0} records in {raw.TotalSeconds:F2} s");
        var rocks = await RestoreAsync(cluster, RocksDb.As<string, string>("kv"), "rocksdb", records, batch, arguments.Settings(), output);
        var memory = await RestoreAsync(cluster, InMemory.As<string, string>("kv"), "in-memory", records, batch, arguments.Settings(), output);

        double Rate(TimeSpan t) => records / t.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: rocksdb_restore_rps={Rate(rocks):F0} memory_restore_rps={Rate(memory):F0} raw_read_rps={Rate(raw):F0} " +
            $"rocksdb_vs_raw={Rate(rocks) / Rate(raw):F2} records={records} partitions={partitions} max_poll_restoring_records={batch}{arguments.SettingsText()}"));
    }

    // 100-byte values keyed by 16-byte keys into every changelog partition until the mock starts dropping
    // the oldest data; returns how many records it kept.
    private static long Fill(DevCluster cluster, int partitions, TextWriter output)
    {
        var value = new byte[100];
        new Random(7).NextBytes(value);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, LingerMs = 20, BatchSize = 1_000_000, QueueBufferingMaxMessages = 1_000_000,
               }).Build())
        {
            for (var p = 0; p < partitions; p++)
                for (var i = 0; i < 45_000; i++)
                    producer.Produce(new TopicPartition(Changelog, p),
                        new Message<byte[], byte[]> { Key = System.Text.Encoding.ASCII.GetBytes($"key-{p}-{i:D10}"), Value = value });
            producer.Flush();
        }
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "bench-probe" }).Build();
        var kept = Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(Changelog, p), TimeSpan.FromSeconds(10)))
            .Sum(w => w.High.Value - w.Low.Value);
        output.WriteLine($"bench: changelog holds {kept:N0} records in {partitions} partitions");
        return kept;
    }

    private static TimeSpan RawRead(DevCluster cluster, int partitions, long records)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = "bench-raw", EnablePartitionEof = true, AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var clock = Stopwatch.StartNew();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(Changelog, p, Offset.Beginning)));
        long read = 0;
        var ended = 0;
        while (ended < partitions && read < records)
        {
            var r = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("the raw read stalled");
            if (r.IsPartitionEOF) ended++;
            else read++;
        }
        return clock.Elapsed;
    }

    // A table materialized from a stream has a changelog ({application}-kv-changelog); a fresh state directory makes
    // Streamiz restore it from the beginning before the task runs.
    private static async Task<TimeSpan> RestoreAsync(DevCluster cluster, Materialized<string, string, IKeyValueStore<Bytes, byte[]>> store, string kind,
        long records, long batch, IEnumerable<KeyValuePair<string, string>> settings, TextWriter output)
    {
        var strings = new StringSerDes();
        var builder = new StreamBuilder();
        builder.Stream("in", strings, strings).ToTable(store.WithKeySerdes(strings).WithValueSerdes(strings));
        // The worker's own Streamiz configuration (OttoRuntime), with the benchmark's batch and --set settings.
        var options = cluster.WorkerOptions(App, new PaymentsOptions(), new StreamsOptions().CommitInterval);
        options.Streams.StateDir = Directory.CreateTempSubdirectory("otto-bench-restore-").FullName;
        options.Streams.MaxPollRestoringRecords = (int)batch;
        foreach (var (key, value) in settings) options.Kafka.Properties[key] = value;
        var config = OttoRuntime.StreamConfig(options, BenchLogging.Loggers);
        long started = 0, last = 0, restored = 0;
        using (var stream = new KafkaStream(builder.Build(), config, new OttoKafkaSupplier(config, cluster.Kafka)))
        {
            var failed = false;
            stream.StateChanged += (_, now) => { if (now == KafkaStream.State.ERROR) failed = true; };
            stream.OnRestoreStartEvent += (_, _, _, _) => Interlocked.CompareExchange(ref started, Stopwatch.GetTimestamp(), 0);
            stream.OnRestoreBatchEvent += (_, _, _, count) =>
            {
                Interlocked.Add(ref restored, count);
                Volatile.Write(ref last, Stopwatch.GetTimestamp());
            };
            await stream.StartAsync();
            var deadline = Stopwatch.StartNew();
            while (Interlocked.Read(ref restored) < records)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(5) || Volatile.Read(ref failed))
                    throw new TimeoutException($"restoration did not finish: {Interlocked.Read(ref restored):N0} of {records:N0} records");
                Thread.Sleep(10);
            }
        }
        try { Directory.Delete(config.StateDir, recursive: true); }
        catch (IOException) { } // RocksDB still closing; the temp directory is the OS's to clean
        var elapsed = Stopwatch.GetElapsedTime(started, last);
        output.WriteLine($"bench: {kind}: restored {restored:N0} records in {elapsed.TotalSeconds:F2} s");
        return elapsed;
    }
}
