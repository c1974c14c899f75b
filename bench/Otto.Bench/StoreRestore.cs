using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Runtime;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;

namespace Otto.Bench;

/// <summary>
/// Restoration speed from the embedded cluster: a changelog filled up to what the mock keeps per partition
/// (~5 MiB) is restored by a fresh instance into RocksDB, then into the in-memory store; a raw consumer
/// reading the same partitions to their end is the yardstick. Each clock runs from the moment restoration
/// starts (after the group join) to its last record.
/// </summary>
public sealed class StoreRestore : IBenchmark
{
    private const string App = "bench-restore";
    private const string Changelog = App + "-kv-changelog";

    public string Name => "store-restore";

    public string Description => "changelog restoration speed from the embedded cluster: RocksDB vs in-memory vs raw consumer [partitions, default 4]";

    public async Task RunAsync(string[] args, TextWriter output)
    {
        var partitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4;
        await using var cluster = await DevCluster.StartAsync("bench", partitions);
        cluster.Kafka.CreateTopic("in", partitions);
        cluster.Kafka.CreateTopic(Changelog, partitions);
        var records = Fill(cluster, partitions, output);

        var raw = RawRead(cluster, partitions, records);
        output.WriteLine($"bench: raw consumer read {records:N0} records in {raw.TotalSeconds:F2} s");
        var rocks = Restore(cluster, Stores.PersistentKeyValueStore("kv"), records, output);
        var memory = Restore(cluster, Stores.InMemoryKeyValueStore("kv"), records, output);

        double Rate(TimeSpan t) => records / t.TotalSeconds;
        output.WriteLine($"bench: rocksdb_restore_rps={Rate(rocks):F0} memory_restore_rps={Rate(memory):F0} raw_read_rps={Rate(raw):F0} " +
            $"rocksdb_vs_raw={Rate(rocks) / Rate(raw):F2} records={records} partitions={partitions}");
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

    private static TimeSpan Restore(DevCluster cluster, IKeyValueBytesStoreSupplier supplier, long records, TextWriter output)
    {
        var strings = new StringSerDes();
        var builder = new StreamBuilder();
        builder.Table("in", Materialized<string, string>.As(supplier).With(strings, strings));
        using var state = new StoreBenchContext(new Otto.Streams.State.RocksDb.RocksDbMemory(1L << 20, 1L << 20));
        using var timing = new RestoreClock();
        using (var stream = new KafkaStream(builder.Build(), new StreamConfig
               {
                   ApplicationId = App, BootstrapServers = cluster.BootstrapServers, ClientProperties = DevCluster.ClientProperties,
                   StateDir = state.StateDirectory,
               }, topicManager: cluster.TopicManager))
        {
            stream.Start();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
            while (timing.Restored < records)
            {
                if (DateTime.UtcNow > deadline || stream.FatalError is not null) throw new TimeoutException("restoration did not finish", stream.FatalError);
                Thread.Sleep(10);
            }
            stream.Close();
        }
        var kind = supplier.GetType().Name.Contains("RocksDb", StringComparison.Ordinal) ? "rocksdb" : "in-memory";
        output.WriteLine($"bench: {kind}: restored {timing.Restored:N0} records in {timing.Elapsed.TotalSeconds:F2} s");
        return timing.Elapsed;
    }

    /// <summary>Times restoration from the engine's metrics: from the first task registering records to
    /// restore (otto.streams.restore.remaining) to the last restored record (otto.streams.records.restored).</summary>
    private sealed class RestoreClock : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _started;
        private long _last;
        private long _restored;

        public RestoreClock()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name is "otto.streams.records.restored" or "otto.streams.restore.remaining")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                var now = Stopwatch.GetTimestamp();
                if (instrument.Name == "otto.streams.restore.remaining") Interlocked.CompareExchange(ref _started, now, 0);
                else
                {
                    Interlocked.Add(ref _restored, value);
                    Volatile.Write(ref _last, now);
                }
            });
            _listener.Start();
        }

        public long Restored => Interlocked.Read(ref _restored);
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started, Volatile.Read(ref _last));

        public void Dispose() => _listener.Dispose();
    }
}
