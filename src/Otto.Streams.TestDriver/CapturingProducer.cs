using Confluent.Kafka;

namespace Otto.Streams.TestDriver;

/// <summary>
/// An in-memory producer: every record sent is appended to its topic's log at once and acknowledged at once.
/// The driver reads those logs as output topics, feeds internal topics back into the topology and restores
/// stores from them.
/// </summary>
internal sealed class CapturingProducer : IProducer<byte[], byte[]>
{
    public Dictionary<string, List<Message<byte[], byte[]>>> Topics { get; } = [];

    private static readonly Error NoError = new(ErrorCode.NoError);

    public List<Message<byte[], byte[]>> Log(string topic)
    {
        if (!Topics.TryGetValue(topic, out var log)) Topics[topic] = log = [];
        return log;
    }

    // Every topic has one partition; one TopicPartition per topic spares an allocation per record.
    private readonly Dictionary<string, TopicPartition> _partitions = [];

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null)
    {
        if (!_partitions.TryGetValue(topic, out var partition)) _partitions[topic] = partition = new TopicPartition(topic, 0);
        Produce(partition, message, deliveryHandler);
    }

    public void Produce(TopicPartition topicPartition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null)
    {
        var log = Log(topicPartition.Topic);
        log.Add(message);
        deliveryHandler?.Invoke(new DeliveryReport<byte[], byte[]>
        {
            Message = message,
            TopicPartitionOffset = new TopicPartitionOffset(topicPartition, log.Count - 1),
            Status = PersistenceStatus.Persisted,
            Error = NoError,
        });
    }

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, 0), message, cancellationToken);

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition topicPartition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default)
    {
        DeliveryResult<byte[], byte[]>? result = null;
        Produce(topicPartition, message, r => result = r);
        return Task.FromResult(result!);
    }

    public int Poll(TimeSpan timeout) => 0;
    public int Flush(TimeSpan timeout) => 0;
    public void Flush(CancellationToken cancellationToken = default) { }

    private static NotSupportedException NoTransactions() => new("The TopologyTestDriver runs at-least-once; transactions are not simulated.");
    public void InitTransactions(TimeSpan timeout) => throw NoTransactions();
    public void BeginTransaction() => throw NoTransactions();
    public void CommitTransaction(TimeSpan timeout) => throw NoTransactions();
    public void CommitTransaction() => throw NoTransactions();
    public void AbortTransaction(TimeSpan timeout) => throw NoTransactions();
    public void AbortTransaction() => throw NoTransactions();
    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) => throw NoTransactions();

    public Handle Handle => throw new NotSupportedException("The capturing producer has no librdkafka handle.");
    public string Name => "topology-test-driver-producer";
    public int AddBrokers(string brokers) => 0;
    public void Dispose() { }
}
