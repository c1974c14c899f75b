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

    // One delivery report, refilled for each record: the collector reads a successful report in its handler
    // and keeps it only on failure, which this producer never reports.
    private readonly DeliveryReport<byte[], byte[]> _report = new() { Status = PersistenceStatus.Persisted, Error = NoError };

    public void Produce(TopicPartition topicPartition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null)
    {
        var offset = Append(topicPartition, message);
        if (deliveryHandler is null) return;
        (_report.Topic, _report.Partition, _report.Offset, _report.Message) = (topicPartition.Topic, topicPartition.Partition, offset, message);
        deliveryHandler(_report);
    }

    private long Append(TopicPartition topicPartition, Message<byte[], byte[]> message)
    {
        var log = Log(topicPartition.Topic);
        log.Add(message);
        return log.Count - 1;
    }

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, 0), message, cancellationToken);

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition topicPartition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        Task.FromResult(new DeliveryResult<byte[], byte[]>
        {
            Message = message,
            TopicPartitionOffset = new TopicPartitionOffset(topicPartition, Append(topicPartition, message)),
            Status = PersistenceStatus.Persisted,
        });

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
    /// <inheritdoc />
    public void SetSaslCredentials(string username, string password) { } // no broker, nothing to authenticate to
    public void Dispose() { }
}
