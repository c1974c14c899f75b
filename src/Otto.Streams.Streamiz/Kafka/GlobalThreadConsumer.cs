using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// The consumer of Streamiz's global stream thread: the real consumer, except that a seek to the very offset the
/// partition was just assigned at, before anything was consumed, is not sent.
/// </summary>
/// <remarks>
/// Streamiz 1.8 starts the global thread (GlobalStreamThread.StateConsumer.Initialize) with Assign(partitions at their
/// checkpointed offsets) followed at once by Seek(the same offsets). librdkafka applies an assignment asynchronously,
/// so the seek can reach a partition not yet assigned and fail with "Local: Erroneous state", which stops the whole
/// stream at start (seen on a worker restarting with a global-store checkpoint, under load). The assignment already
/// starts the partition at that offset, so the seek adds nothing.
/// </remarks>
internal sealed class GlobalThreadConsumer(IConsumer<byte[], byte[]> inner) : ForwardingConsumer(inner)
{
    private readonly Dictionary<TopicPartition, Offset> _assignedAt = [];

    public override void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        var list = partitions.ToList();
        Inner.Assign(list);
        _assignedAt.Clear();
        foreach (var tpo in list) _assignedAt[tpo.TopicPartition] = tpo.Offset;
    }

    public override void Assign(TopicPartitionOffset partition) => Assign([partition]);

    public override void Seek(TopicPartitionOffset tpo)
    {
        if (_assignedAt.TryGetValue(tpo.TopicPartition, out var offset) && offset == tpo.Offset) return;
        Inner.Seek(tpo);
    }

    public override ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => Consumed(Inner.Consume(millisecondsTimeout));
    public override ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => Consumed(Inner.Consume(cancellationToken));
    public override ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => Consumed(Inner.Consume(timeout));

    // Once the consumer has polled, its position may have moved past the assigned offset: seeks go through again.
    private ConsumeResult<byte[], byte[]> Consumed(ConsumeResult<byte[], byte[]> result)
    {
        _assignedAt.Clear();
        return result;
    }

    public override void Assign(TopicPartition partition)
    {
        _assignedAt.Clear();
        Inner.Assign(partition);
    }

    public override void Assign(IEnumerable<TopicPartition> partitions)
    {
        _assignedAt.Clear();
        Inner.Assign(partitions);
    }

    public override void Unassign()
    {
        _assignedAt.Clear();
        Inner.Unassign();
    }
}
