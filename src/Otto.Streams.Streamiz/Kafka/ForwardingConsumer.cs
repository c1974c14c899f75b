using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>A consumer that forwards every call to the real one; Otto's consumers derive from it and override what
/// they add to.</summary>
internal abstract class ForwardingConsumer(IConsumer<byte[], byte[]> inner) : IConsumer<byte[], byte[]>
{
    protected IConsumer<byte[], byte[]> Inner { get; } = inner;

    public virtual ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => Inner.Consume(millisecondsTimeout);
    public virtual ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => Inner.Consume(cancellationToken);
    public virtual ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => Inner.Consume(timeout);
    public virtual void Commit(IEnumerable<TopicPartitionOffset> offsets) => Inner.Commit(offsets);
    public virtual List<TopicPartitionOffset> Commit() => Inner.Commit();
    public virtual void Commit(ConsumeResult<byte[], byte[]> result) => Inner.Commit(result);
    public virtual void Assign(TopicPartition partition) => Inner.Assign(partition);
    public virtual void Assign(TopicPartitionOffset partition) => Inner.Assign(partition);
    public virtual void Assign(IEnumerable<TopicPartitionOffset> partitions) => Inner.Assign(partitions);
    public virtual void Assign(IEnumerable<TopicPartition> partitions) => Inner.Assign(partitions);
    public virtual void Unassign() => Inner.Unassign();
    public virtual void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => Inner.IncrementalUnassign(partitions);
    public virtual void Seek(TopicPartitionOffset tpo) => Inner.Seek(tpo);
    public virtual void Unsubscribe() => Inner.Unsubscribe();
    public virtual void Close() => Inner.Close();
    public virtual void Dispose() => Inner.Dispose();

    public Handle Handle => Inner.Handle;
    public string Name => Inner.Name;
    public int AddBrokers(string brokers) => Inner.AddBrokers(brokers);
    public void SetSaslCredentials(string username, string password) => Inner.SetSaslCredentials(username, password);
    public string MemberId => Inner.MemberId;
    public List<TopicPartition> Assignment => Inner.Assignment;
    public List<string> Subscription => Inner.Subscription;
    public IConsumerGroupMetadata ConsumerGroupMetadata => Inner.ConsumerGroupMetadata;
    public void Subscribe(IEnumerable<string> topics) => Inner.Subscribe(topics);
    public void Subscribe(string topic) => Inner.Subscribe(topic);
    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => Inner.IncrementalAssign(partitions);
    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => Inner.IncrementalAssign(partitions);
    public void StoreOffset(ConsumeResult<byte[], byte[]> result) => Inner.StoreOffset(result);
    public void StoreOffset(TopicPartitionOffset offset) => Inner.StoreOffset(offset);
    public void Pause(IEnumerable<TopicPartition> partitions) => Inner.Pause(partitions);
    public void Resume(IEnumerable<TopicPartition> partitions) => Inner.Resume(partitions);
    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => Inner.Committed(timeout);
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => Inner.Committed(partitions, timeout);
    public Offset Position(TopicPartition partition) => Inner.Position(partition);
    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        Inner.OffsetsForTimes(timestampsToSearch, timeout);
    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => Inner.GetWatermarkOffsets(topicPartition);
    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => Inner.QueryWatermarkOffsets(topicPartition, timeout);
}
