using Confluent.Kafka;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace Otto.IntegrationTests.Smoke;

/// <summary>
/// A Streamiz <see cref="IKafkaSupplier"/> over another one (Otto's, so the instance runs as the worker does) whose
/// stream-thread consumers can be killed, to stop an instance the way a crash does: after <see cref="Kill"/> the next
/// poll throws, so the thread stops without committing, and the consumer never closes (no LeaveGroup). librdkafka
/// still heartbeats for it, so the group drops the member only when it has not polled for max.poll.interval.ms.
/// Also tells how many partitions its live consumers hold, to see tasks move.
/// </summary>
internal sealed class KillableSupplier(IKafkaSupplier inner) : IKafkaSupplier, IDisposable
{
    private readonly List<KillableConsumer> _consumers = [];

    public StreamMetricsRegistry MetricsRegistry
    {
        get => inner.MetricsRegistry;
        set => inner.MetricsRegistry = value;
    }

    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener)
    {
        var consumer = new KillableConsumer(inner.GetConsumer(config, rebalanceListener));
        lock (_consumers) _consumers.Add(consumer);
        return consumer;
    }

    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => inner.GetProducer(config);
    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => inner.GetRestoreConsumer(config);
    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => inner.GetGlobalConsumer(config);
    public IAdminClient GetAdmin(AdminClientConfig config) => inner.GetAdmin(config);

    /// <summary>Partitions assigned to the stream threads' consumers (0 once killed).</summary>
    public int AssignedPartitions
    {
        get
        {
            lock (_consumers) return _consumers.Where(c => !c.Killed).Sum(c => c.Assigned);
        }
    }

    public void Kill()
    {
        lock (_consumers) foreach (var c in _consumers) c.Killed = true;
    }

    /// <summary>Releases the killed consumers' handles at the end of the test.</summary>
    public void Dispose()
    {
        lock (_consumers) foreach (var c in _consumers.Where(c => c.Killed)) c.Inner.Dispose();
    }

    private sealed class KillableConsumer(IConsumer<byte[], byte[]> inner) : IConsumer<byte[], byte[]>
    {
        public IConsumer<byte[], byte[]> Inner { get; } = inner;
        public volatile bool Killed;
        private volatile int _assigned;

        public int Assigned => _assigned;

        private IConsumer<byte[], byte[]> Alive => Killed ? throw new InvalidOperationException("killed by the test") : Inner;

        // Streamiz's poll loop calls Consume(TimeSpan); the assignment is read there, on the consumer's own thread.
        public ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout)
        {
            var result = Alive.Consume(timeout);
            _assigned = Inner.Assignment.Count;
            return result;
        }

        public ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout));
        public ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => Alive.Consume(cancellationToken);
        public string MemberId => Inner.MemberId;
        public List<TopicPartition> Assignment => Inner.Assignment;
        public List<string> Subscription => Inner.Subscription;
        public IConsumerGroupMetadata ConsumerGroupMetadata => Inner.ConsumerGroupMetadata;
        public void Subscribe(IEnumerable<string> topics) => Alive.Subscribe(topics);
        public void Subscribe(string topic) => Alive.Subscribe(topic);
        public void Unsubscribe() => Alive.Unsubscribe();
        public void Assign(TopicPartition partition) => Alive.Assign(partition);
        public void Assign(TopicPartitionOffset partition) => Alive.Assign(partition);
        public void Assign(IEnumerable<TopicPartitionOffset> partitions) => Alive.Assign(partitions);
        public void Assign(IEnumerable<TopicPartition> partitions) => Alive.Assign(partitions);
        public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => Alive.IncrementalAssign(partitions);
        public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => Alive.IncrementalAssign(partitions);
        public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => Alive.IncrementalUnassign(partitions);
        public void Unassign() => Alive.Unassign();
        public void StoreOffset(ConsumeResult<byte[], byte[]> result) => Alive.StoreOffset(result);
        public void StoreOffset(TopicPartitionOffset offset) => Alive.StoreOffset(offset);
        public List<TopicPartitionOffset> Commit() => Alive.Commit();
        public void Commit(IEnumerable<TopicPartitionOffset> offsets) => Alive.Commit(offsets);
        public void Commit(ConsumeResult<byte[], byte[]> result) => Alive.Commit(result);
        public void Seek(TopicPartitionOffset tpo) => Alive.Seek(tpo);
        public void Pause(IEnumerable<TopicPartition> partitions) => Alive.Pause(partitions);
        public void Resume(IEnumerable<TopicPartition> partitions) => Alive.Resume(partitions);
        public List<TopicPartitionOffset> Committed(TimeSpan timeout) => Alive.Committed(timeout);
        public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => Alive.Committed(partitions, timeout);
        public Offset Position(TopicPartition partition) => Alive.Position(partition);
        public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) => Alive.OffsetsForTimes(timestampsToSearch, timeout);
        public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => Alive.GetWatermarkOffsets(topicPartition);
        public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => Alive.QueryWatermarkOffsets(topicPartition, timeout);

        // A crashed process closes nothing: no LeaveGroup, no final commit.
        public void Close()
        {
            if (!Killed) Inner.Close();
        }

        public void Dispose()
        {
            if (!Killed) Inner.Dispose();
        }

        public Handle Handle => Inner.Handle;
        public string Name => Inner.Name;
        public int AddBrokers(string brokers) => Inner.AddBrokers(brokers);
        public void SetSaslCredentials(string username, string password) => Inner.SetSaslCredentials(username, password);
    }
}
