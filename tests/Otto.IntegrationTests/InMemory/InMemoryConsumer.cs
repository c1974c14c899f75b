using Confluent.Kafka;
using Otto.Streams.Runtime;

namespace Otto.IntegrationTests.InMemory;

/// <summary>
/// A consumer on <see cref="InMemoryKafka"/>. With a group id and a listener it plays the group's only member:
/// Subscribe assigns every partition of the topics at the next Consume (positions from the group's committed
/// offsets), Unsubscribe and Close revoke them. Without one it is a restore consumer driven by Assign.
/// </summary>
internal sealed class InMemoryConsumer(InMemoryKafka kafka, ConsumerConfig config, IRebalanceListener? listener) : IConsumer<byte[], byte[]>
{
    private readonly bool _readCommitted = config.IsolationLevel == IsolationLevel.ReadCommitted;
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly HashSet<TopicPartition> _eofSent = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private List<string> _subscription = [];
    private bool _assignPending;
    private int _next;

    internal sealed class GroupMetadata(string groupId) : IConsumerGroupMetadata
    {
        public string GroupId { get; } = groupId;
    }

    public string Name { get; } = config.ClientId ?? "in-memory-consumer";
    public string MemberId => Name;
    public List<TopicPartition> Assignment => [.. _positions.Keys];
    public List<string> Subscription => _subscription;
    public IConsumerGroupMetadata ConsumerGroupMetadata => new GroupMetadata(config.GroupId!);

    public void Subscribe(IEnumerable<string> topics)
    {
        _subscription = topics.ToList();
        _assignPending = true;
    }

    public void Subscribe(string topic) => Subscribe([topic]);

    public void Unsubscribe()
    {
        Revoke();
        _subscription = [];
        _assignPending = false;
    }

    private void Revoke()
    {
        var owned = Assignment;
        if (owned.Count > 0) listener?.PartitionsRevoked(this, owned);
        _positions.Clear();
        _paused.Clear();
    }

    public ConsumeResult<byte[], byte[]>? Consume(TimeSpan timeout)
    {
        if (_assignPending)
        {
            _assignPending = false;
            var partitions = _subscription.SelectMany(t => Enumerable.Range(0, kafka.PartitionCount(t)).Select(p => new TopicPartition(t, p))).ToList();
            foreach (var tp in partitions) _positions[tp] = kafka.CommittedOffset(config.GroupId!, tp) ?? 0;
            listener?.PartitionsAssigned(this, partitions);
        }
        if (TryRead() is { } result) return result;
        kafka.WaitForData(timeout < TimeSpan.FromMilliseconds(20) ? timeout : TimeSpan.FromMilliseconds(20));
        return TryRead();
    }

    private ConsumeResult<byte[], byte[]>? TryRead()
    {
        var partitions = Assignment.Where(tp => !_paused.Contains(tp)).ToList();
        for (var i = 0; i < partitions.Count; i++)
        {
            var tp = partitions[(_next + i) % partitions.Count];
            if (kafka.Read(tp, _positions[tp], _readCommitted) is { } record)
            {
                _next = (_next + i + 1) % partitions.Count;
                _positions[tp] = record.Offset + 1;
                _eofSent.Remove(tp);
                return new ConsumeResult<byte[], byte[]> { TopicPartitionOffset = new TopicPartitionOffset(tp, record.Offset), Message = record.Message };
            }
            if (config.EnablePartitionEof == true && _eofSent.Add(tp))
                return new ConsumeResult<byte[], byte[]> { TopicPartitionOffset = new TopicPartitionOffset(tp, _positions[tp]), IsPartitionEOF = true };
        }
        return null;
    }

    public ConsumeResult<byte[], byte[]>? Consume(int millisecondsTimeout) => Consume(TimeSpan.FromMilliseconds(millisecondsTimeout));
    public ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Assign(TopicPartition partition) => Assign([new TopicPartitionOffset(partition, Offset.Beginning)]);
    public void Assign(TopicPartitionOffset partition) => Assign([partition]);
    public void Assign(IEnumerable<TopicPartition> partitions) => Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));

    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        _positions.Clear();
        _eofSent.Clear();
        foreach (var p in partitions) _positions[p.TopicPartition] = p.Offset.IsSpecial ? 0 : p.Offset.Value;
    }

    public void Unassign()
    {
        _positions.Clear();
        _eofSent.Clear();
    }

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => throw new NotSupportedException();
    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();
    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => throw new NotSupportedException();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => kafka.CommitOffsets(config.GroupId!, offsets);
    public List<TopicPartitionOffset> Commit() => throw new NotSupportedException();
    public void Commit(ConsumeResult<byte[], byte[]> result) => throw new NotSupportedException();
    public void StoreOffset(ConsumeResult<byte[], byte[]> result) => throw new NotSupportedException();
    public void StoreOffset(TopicPartitionOffset offset) => throw new NotSupportedException();

    public void Seek(TopicPartitionOffset tpo) => _positions[tpo.TopicPartition] = tpo.Offset.Value;
    public void Pause(IEnumerable<TopicPartition> partitions) => _paused.UnionWith(partitions);
    public void Resume(IEnumerable<TopicPartition> partitions) => _paused.ExceptWith(partitions);

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => Committed(Assignment, timeout);
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) =>
        partitions.Select(tp => new TopicPartitionOffset(tp, kafka.CommittedOffset(config.GroupId!, tp) ?? Offset.Unset)).ToList();

    public Offset Position(TopicPartition partition) => _positions.TryGetValue(partition, out var p) ? p : Offset.Unset;
    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) => throw new NotSupportedException();
    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => new(0, kafka.EndOffset(topicPartition));
    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => GetWatermarkOffsets(topicPartition);

    public void Close() => Revoke();
    public Handle Handle => throw new NotSupportedException();
    public int AddBrokers(string brokers) => 0;
    public void SetSaslCredentials(string username, string password) { }
    public void Dispose() { }
}
