using Confluent.Kafka;
using Otto.Payments;
using Confluent.SchemaRegistry;
using Otto.DevSchemaRegistry;
using Otto.Streams.EmbeddedKafka;

namespace Otto.Simulator.Tests;

/// <summary>An embedded cluster with every payments topic created up front, an in-memory registry, and
/// raw clients to play Otto's part by hand.</summary>
internal sealed class SimCluster : IDisposable
{
    public SimCluster(int partitions = 4, IReadOnlyDictionary<string, int>? partitionsByTopic = null)
    {
        Cluster = EmbeddedKafkaCluster.Start();
        foreach (var topic in Topics.All)
            Cluster.CreateTopic(topic, partitionsByTopic?.GetValueOrDefault(topic) is > 0 and var n ? n : partitions);
        SerDes = new PaymentsSerDes(Registry, autoRegisterSchemas: true);
        _producer = new Lazy<IProducer<string, byte[]>>(Producer);
    }

    private readonly Lazy<IProducer<string, byte[]>> _producer;

    public EmbeddedKafkaCluster Cluster { get; }
    public PaymentTopics Topics { get; } = new("simtest");
    public ISchemaRegistryClient Registry => InProcessRegistry.Client;
    public PaymentsSerDes SerDes { get; }

    /// <summary>Fast settings: everything published at once, no lead for the reference data, a fixed seed.</summary>
    public static SimulatorOptions Options(int payments, double anomalyRate = 0.2, string runId = "run1") => new()
    {
        Payments = payments,
        AnomalyRate = anomalyRate,
        PaymentsPerSecond = 0,
        StepDelay = TimeSpan.Zero,
        AccountsLead = TimeSpan.Zero,
        RunId = runId,
    };

    public Simulation Simulation(SimulatorOptions options) => new(Cluster.BootstrapServers, Registry, Topics, options);

    public IProducer<string, byte[]> Producer() =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).SetLogHandler((_, _) => { }).Build();

    /// <summary>Produces one Avro record and waits for its acknowledgement (one producer for the whole test:
    /// a new librdkafka producer needs about a second before its first delivery).</summary>
    public void Produce<T>(string topic, string key, T value) where T : class, Avro.Specific.ISpecificRecord
    {
        var producer = _producer.Value;
        producer.Produce(topic, new Message<string, byte[]>
        {
            Key = key,
            Value = SerDes.Value<T>().Serialize(value, new SerializationContext(MessageComponentType.Value, topic)),
        });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Every record of <paramref name="topic"/> up to its current end, all partitions.</summary>
    public List<ConsumeResult<string, byte[]>> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "simtest-reader",
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var ends = Enumerable.Range(0, PartitionCount(topic))
            .Select(p => new TopicPartition(topic, p))
            .ToDictionary(tp => tp, tp => consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value);
        var expected = ends.Values.Sum();
        consumer.Assign(ends.Keys.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        var records = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
        while (records.Count < expected)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Read {records.Count} of {expected} records of {topic}");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } r) records.Add(r);
        }
        return records;
    }

    /// <summary>How many records <paramref name="topic"/> holds.</summary>
    public long Count(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = "simtest-counter",
        }).SetLogHandler((_, _) => { }).Build();
        return Enumerable.Range(0, PartitionCount(topic))
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    public T Read<T>(ConsumeResult<string, byte[]> record) where T : class, Avro.Specific.ISpecificRecord =>
        SerDes.Value<T>().Deserialize(record.Message.Value, new SerializationContext(MessageComponentType.Value, record.Topic));

    private int PartitionCount(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = Cluster.BootstrapServers }).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated) _producer.Value.Dispose();
        Cluster.Dispose();
    }
}
