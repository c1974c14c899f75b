using System.Text;
using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.IntegrationTests.InMemory;

/// <summary>What the in-memory runtime tests share: a counting topology, configuration, input and waiting.</summary>
internal static class InMemoryStreams
{
    public static readonly StringSerDes Strings = new();
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static StreamConfig Config(string app, ProcessingGuarantee guarantee = ProcessingGuarantee.AtLeastOnce,
        ProductionErrorHandling production = ProductionErrorHandling.Fail, string? deadLetterTopic = null) => new()
    {
        ApplicationId = app,
        Guarantee = guarantee,
        ProductionErrors = production,
        ProductionRetries = 3,
        DeadLetterTopic = deadLetterTopic,
        DefaultKeySerDes = Strings,
        DefaultValueSerDes = Strings,
        CommitInterval = TimeSpan.FromHours(1), // commits happen when the test moves the clock
        StateDir = Path.Combine(Path.GetTempPath(), "otto-inmemory-tests", Guid.NewGuid().ToString("N")),
    };

    /// <summary>Counts records per key in store "counts" and forwards the new count; throws on "boom" while armed.</summary>
    public sealed class Counter(Func<bool> failOnBoom) : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IKeyValueStore<string, string> _counts = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _counts = context.GetStateStore<IKeyValueStore<string, string>>("counts");
        }

        public void Process(Record<string, string> record)
        {
            if (record.Value == "boom" && failOnBoom()) throw new InvalidOperationException("boom");
            var count = int.Parse(_counts.Get(record.Key) ?? "0") + 1;
            _counts.Put(record.Key, count.ToString());
            _context.Forward(new Record<string, string>(record.Key, count.ToString(), record.Timestamp));
        }
    }

    public static Topology Counting(Func<bool> failOnBoom)
    {
        var builder = new StreamBuilder();
        // Uncached, so each count reaches the changelog inside the transaction it belongs to, before any failure.
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("counts"), Strings, Strings).WithCachingDisabled());
        builder.Stream<string, string>("in").Process(() => new Counter(failOnBoom), "counter", "counts").To("out");
        return builder.Build();
    }

    public static void Produce(InMemoryKafka kafka, string topic, params (string Key, string Value)[] records)
    {
        var producer = new InMemoryProducer(kafka, new ProducerConfig());
        foreach (var (k, v) in records)
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(k), Value = Encoding.UTF8.GetBytes(v) });
    }

    public static long CommittedTotal(InMemoryKafka kafka, string group, string topic) =>
        Enumerable.Range(0, kafka.PartitionCount(topic)).Sum(p => kafka.CommittedOffset(group, new TopicPartition(topic, p)) ?? 0);

    public static long EndTotal(InMemoryKafka kafka, string topic) =>
        Enumerable.Range(0, kafka.PartitionCount(topic)).Sum(p => kafka.EndOffset(new TopicPartition(topic, p)));

    /// <summary>Moves the clock past the commit interval until the group has committed <paramref name="offsets"/> input offsets.</summary>
    public static Task CommitUntil(InMemoryKafka kafka, ManualClock clock, string group, long offsets) =>
        Eventually.True(() =>
        {
            clock.Advance(TimeSpan.FromHours(2));
            return CommittedTotal(kafka, group, "in") == offsets;
        }, Wait, $"{offsets} input offsets committed");
}
