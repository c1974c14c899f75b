using Confluent.Kafka;

namespace Otto.IntegrationTests.InMemory;

/// <summary>A producer on <see cref="InMemoryKafka"/>: delivers at once (the report comes inside Produce), and
/// with a transactional.id behaves as a transactional producer, fenced when a newer epoch of its id starts.</summary>
internal sealed class InMemoryProducer(InMemoryKafka kafka, ProducerConfig config) : IProducer<byte[], byte[]>
{
    private readonly string? _transactionalId = config.TransactionalId;
    private int _epoch;
    private bool _inTransaction;

    public string Name { get; } = config.ClientId ?? "in-memory-producer";

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, PartitionFor(topic, message.Key)), message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null)
    {
        if (_transactionalId is not null)
        {
            CheckNotFenced();
            if (!_inTransaction) throw new KafkaException(new Error(ErrorCode.Local_State, "Produce outside a transaction"));
        }
        // librdkafka refuses some records in Produce itself (unknown partition, larger than message.max.bytes).
        var fault = kafka.DeliveryFault?.Invoke(topicPartition.Topic, message) ?? ErrorCode.NoError;
        if (fault == ErrorCode.Local_UnknownPartition)
            throw new ProduceException<byte[], byte[]>(new Error(ErrorCode.Local_UnknownPartition),
                new DeliveryResult<byte[], byte[]> { Message = message, TopicPartitionOffset = new TopicPartitionOffset(topicPartition, Offset.Unset) });
        var error = kafka.Append(topicPartition, message, _transactionalId, fault, out var offset);
        deliveryHandler?.Invoke(new DeliveryReport<byte[], byte[]>
        {
            Message = message,
            TopicPartitionOffset = new TopicPartitionOffset(topicPartition, offset),
            Status = error == ErrorCode.NoError ? PersistenceStatus.Persisted : PersistenceStatus.NotPersisted,
            Error = new Error(error),
        });
    }

    // Not murmur2: tests only need a stable spread of keys over partitions.
    private int PartitionFor(string topic, byte[]? key)
    {
        var count = Math.Max(1, kafka.PartitionCount(topic));
        if (key is null) return 0;
        var hash = 17;
        foreach (var b in key) hash = unchecked(hash * 31 + b);
        return (int)((uint)hash % (uint)count);
    }

    public void InitTransactions(TimeSpan timeout) => _epoch = kafka.InitTransactions(_transactionalId!);

    public void BeginTransaction()
    {
        CheckNotFenced();
        _inTransaction = true;
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        CheckNotFenced();
        _pendingOffsets.AddRange(offsets);
        _pendingGroup = ((InMemoryConsumer.GroupMetadata)groupMetadata).GroupId;
    }

    private readonly List<TopicPartitionOffset> _pendingOffsets = [];
    private string? _pendingGroup;

    public void CommitTransaction(TimeSpan timeout)
    {
        CheckNotFenced();
        if (kafka.CommitFault is { } fault)
        {
            kafka.CommitFault = null;
            throw fault;
        }
        kafka.EndTransaction(_transactionalId!, commit: true, _pendingGroup, _pendingOffsets);
        EndTransaction();
    }

    public void CommitTransaction() => CommitTransaction(TimeSpan.Zero);

    public void AbortTransaction(TimeSpan timeout)
    {
        CheckNotFenced();
        kafka.EndTransaction(_transactionalId!, commit: false);
        EndTransaction();
    }

    public void AbortTransaction() => AbortTransaction(TimeSpan.Zero);

    private void EndTransaction()
    {
        _inTransaction = false;
        _pendingOffsets.Clear();
        _pendingGroup = null;
    }

    private void CheckNotFenced()
    {
        if (_transactionalId is not null && !kafka.IsCurrent(_transactionalId, _epoch))
            throw new KafkaException(new Error(ErrorCode.Local_Fenced, "This instance has been fenced by a newer instance", isFatal: true));
    }

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The engine produces with delivery handlers.");

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition topicPartition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The engine produces with delivery handlers.");

    public int Poll(TimeSpan timeout) => 0;
    public int Flush(TimeSpan timeout) => 0;
    public void Flush(CancellationToken cancellationToken = default) { }
    public Handle Handle => throw new NotSupportedException();
    public int AddBrokers(string brokers) => 0;
    public void SetSaslCredentials(string username, string password) { }
    public void Dispose() { }
}
