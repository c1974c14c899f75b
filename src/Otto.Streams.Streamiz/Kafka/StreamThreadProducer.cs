using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// The producer Streamiz creates for one stream thread: the real producer, plus a way for Otto to send records of
/// its own (dead letters) through it, so that they are flushed with the thread's output before offsets are committed
/// (at-least-once) or written in the thread's transaction (exactly-once).
/// </summary>
/// <remarks>
/// Under exactly-once Streamiz's StreamsProducer begins a transaction only before its own first send, and commits
/// one (beginning it first if none is in flight) at every commit. A dead letter may come first, so
/// <see cref="ProduceOwn"/> begins the transaction itself, and <see cref="BeginTransaction"/> then does nothing for
/// Streamiz because one is already open; commit and abort close it for both.
/// </remarks>
internal sealed class StreamThreadProducer(IProducer<byte[], byte[]> inner, bool transactional, Action commitGuard, Action disposed)
    : IProducer<byte[], byte[]>
{
    // The producer whose delivery report is being handled on this thread (librdkafka's poll thread): Streamiz's
    // production exception handler gets only the report, and a dead letter must go out through the same producer.
    [ThreadStatic] private static StreamThreadProducer? _reporting;

    private readonly Lock _transaction = new();
    private bool _inTransaction;

    /// <summary>The producer whose delivery report the current thread is handling, or null.</summary>
    internal static StreamThreadProducer? Reporting => _reporting;

    /// <summary>Sends a record of Otto's own (not Streamiz's) through this producer, inside the thread's transaction
    /// under exactly-once.</summary>
    internal void ProduceOwn(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> onDelivery)
    {
        lock (_transaction)
        {
            if (transactional && !_inTransaction)
            {
                inner.BeginTransaction();
                _inTransaction = true;
            }

            inner.Produce(topic, message, onDelivery);
        }
    }

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        inner.Produce(topic, message, Reported(deliveryHandler));

    public void Produce(TopicPartition topicPartition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        inner.Produce(topicPartition, message, Reported(deliveryHandler));

    private Action<DeliveryReport<byte[], byte[]>>? Reported(Action<DeliveryReport<byte[], byte[]>>? handler)
    {
        if (handler is null)
        {
            return null;
        }

        return report =>
        {
            var previous = _reporting;
            _reporting = this;
            try
            {
                handler(report);
            }
            finally
            {
                _reporting = previous;
            }
        };
    }

    public void BeginTransaction()
    {
        lock (_transaction)
        {
            if (!_inTransaction)
            {
                inner.BeginTransaction();
                _inTransaction = true;
            }
        }
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        var list = offsets as IReadOnlyCollection<TopicPartitionOffset> ?? offsets.ToList();
        commitGuard();
        inner.SendOffsetsToTransaction(list, groupMetadata, timeout);
        // Sent on the stream thread, the one whose consumer read these records.
        ConsumedRecords.Current?.ForgetCommitted(list);
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        commitGuard();
        lock (_transaction)
        {
            inner.CommitTransaction(timeout);
            _inTransaction = false;
        }
    }

    public void CommitTransaction()
    {
        commitGuard();
        lock (_transaction)
        {
            inner.CommitTransaction();
            _inTransaction = false;
        }
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        lock (_transaction)
        {
            _inTransaction = false;
            inner.AbortTransaction(timeout);
        }
    }

    public void AbortTransaction()
    {
        lock (_transaction)
        {
            _inTransaction = false;
            inner.AbortTransaction();
        }
    }

    public void Dispose()
    {
        disposed();
        inner.Dispose();
    }

    // Everything below is the real producer's.
    public Handle Handle => inner.Handle;
    public string Name => inner.Name;
    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);
    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);
    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        inner.ProduceAsync(topic, message, cancellationToken);
    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition topicPartition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        inner.ProduceAsync(topicPartition, message, cancellationToken);
    public int Poll(TimeSpan timeout) => inner.Poll(timeout);
    public int Flush(TimeSpan timeout) => inner.Flush(timeout);
    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);
    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);
}
