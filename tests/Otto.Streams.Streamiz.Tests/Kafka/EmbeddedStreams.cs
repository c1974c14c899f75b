using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>What the tests need around a real <see cref="KafkaStream"/> on the embedded cluster: its configuration,
/// raw producers and consumers, and waiting for its state.</summary>
internal static class EmbeddedStreams
{
    /// <summary>A stream configuration for the embedded cluster (DESIGN.md: the mock completes a rebalance only after a
    /// departed member's session timeout, so 6 s; the guarantee is set before the commit interval because setting it
    /// resets the interval).</summary>
    public static StreamConfig<StringSerDes, StringSerDes> Config(EmbeddedKafkaCluster cluster, string applicationId,
        Microsoft.Extensions.Logging.ILoggerFactory logger, string stateDir, ProcessingGuarantee guarantee = ProcessingGuarantee.AT_LEAST_ONCE) => new()
    {
        ApplicationId = applicationId,
        BootstrapServers = cluster.BootstrapServers,
        Guarantee = guarantee,
        CommitIntervalMs = 200,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
        PollMs = 50,
        StateDir = stateDir,
        // Streamiz keeps one logger factory per process (Logger.LoggerFactory, set by each KafkaStream): with tests
        // in parallel its lines land in whichever test built a stream last. Assert only on Otto's own loggers.
        Logger = logger,
    };

    public static IProducer<byte[], byte[]> Producer(EmbeddedKafkaCluster cluster) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            // Streamiz's partitioning (DESIGN.md): librdkafka's default CRC32 sends keys elsewhere.
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 0,
        }).SetLogHandler((_, _) => { }).Build();

    public static void Produce(IProducer<byte[], byte[]> producer, string topic, string? key, byte[]? value, Headers? headers = null) =>
        producer.Produce(topic, new Message<byte[], byte[]>
        {
            Key = key is null ? null! : System.Text.Encoding.UTF8.GetBytes(key),
            Value = value!,
            Headers = headers ?? [],
        });

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Produces string records with the Java clients' key hashing, as Streamiz's tasks expect, and waits for them.</summary>
    public static void Produce(EmbeddedKafkaCluster cluster, string topic, IEnumerable<KeyValuePair<string, string>> records)
    {
        using var producer = Producer(cluster);
        foreach (var (key, value) in records) Produce(producer, topic, key, Utf8(value));
        producer.Flush(Eventually.DefaultTimeout);
    }

    /// <summary>A fresh state directory under the temp folder; the caller deletes it.</summary>
    public static string NewStateDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "otto-streamiz-tests", Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>Reads a topic from the beginning, outside any group, collecting what arrives.</summary>
    public sealed class TopicReader : IDisposable
    {
        private readonly IConsumer<byte[], byte[]> _consumer;
        private readonly List<ConsumeResult<byte[], byte[]>> _records = [];

        public TopicReader(EmbeddedKafkaCluster cluster, string topic, int partitions)
        {
            _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = "reader-" + Guid.NewGuid().ToString("N"),
                EnableAutoCommit = false,
            }).SetLogHandler((_, _) => { }).Build();
            _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        }

        /// <summary>Everything read so far (reads what is available first).</summary>
        public IReadOnlyList<ConsumeResult<byte[], byte[]>> Records
        {
            get
            {
                while (_consumer.Consume(TimeSpan.FromMilliseconds(20)) is { } r)
                {
                    _records.Add(r);
                }

                return _records;
            }
        }

        public void Dispose() => _consumer.Dispose();
    }

    /// <summary>Starts the stream and waits until it is RUNNING.</summary>
    public static void StartAndWaitRunning(KafkaStream stream, TimeSpan? timeout = null)
    {
        var running = false;
        stream.StateChanged += (_, now) => running |= now == KafkaStream.State.RUNNING;
        stream.StartAsync().GetAwaiter().GetResult();
        Eventually.Blocking(() => running, timeout ?? Eventually.DefaultTimeout, "the stream to be RUNNING");
    }
}
