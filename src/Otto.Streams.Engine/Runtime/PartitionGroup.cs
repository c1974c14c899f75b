using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>
/// A task's fetched but unprocessed records, one queue per input partition, handed out in timestamp order
/// across partitions (Kafka Streams' PartitionGroup). Without it a task processes records in the order the
/// consumer happens to deliver them, so after a restart or a rebalance a stream-table join can see a reply
/// before the request it joins to, although the request was written first.
/// <para>The next record is the lowest-timestamp head among the queues. While a queue is empty and its
/// partition has not reported its end (a partition-EOF event since its last record), more, possibly older,
/// records may be on their way: the task waits, but at most <see cref="StreamConfig.MaxTaskIdle"/>, then
/// processes what it has (counted as enforced processing).</para>
/// </summary>
internal sealed class PartitionGroup
{
    private readonly Queue<ConsumeResult<byte[], byte[]>>[] _queues;
    private readonly bool[] _atEnd;
    private long _waitingSinceMs = -1;

    public PartitionGroup(int partitions)
    {
        _queues = new Queue<ConsumeResult<byte[], byte[]>>[partitions];
        for (var i = 0; i < partitions; i++) _queues[i] = new Queue<ConsumeResult<byte[], byte[]>>();
        _atEnd = new bool[partitions];
    }

    /// <summary>Records buffered for the partition at <paramref name="index"/>.</summary>
    public int Count(int index) => _queues[index].Count;

    /// <summary>Buffers a fetched record of the partition at <paramref name="index"/>.</summary>
    public void Add(int index, ConsumeResult<byte[], byte[]> record)
    {
        _queues[index].Enqueue(record);
        _atEnd[index] = false;
    }

    /// <summary>The consumer reached the end of the partition at <paramref name="index"/>: nothing older is coming.</summary>
    public void MarkAtEnd(int index) => _atEnd[index] = true;

    /// <summary>The next record to process at <paramref name="nowMs"/>, or null when there is none or the task
    /// should wait for a partition that may still deliver older records. <paramref name="enforced"/> tells that
    /// the wait was cut short after <paramref name="maxIdleMs"/>.</summary>
    public ConsumeResult<byte[], byte[]>? Next(long nowMs, long maxIdleMs, out bool enforced)
    {
        enforced = false;
        var best = -1;
        var bestTimestamp = long.MaxValue;
        var waiting = false;
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].Count == 0)
            {
                waiting |= !_atEnd[i];
                continue;
            }
            var timestamp = _queues[i].Peek().Message.Timestamp.UnixTimestampMs;
            if (timestamp < bestTimestamp)
            {
                best = i;
                bestTimestamp = timestamp;
            }
        }
        if (best < 0)
        {
            _waitingSinceMs = -1;
            return null;
        }
        if (waiting)
        {
            if (_waitingSinceMs < 0) _waitingSinceMs = nowMs;
            if (nowMs - _waitingSinceMs < maxIdleMs) return null;
            enforced = true;
        }
        else _waitingSinceMs = -1;
        return _queues[best].Dequeue();
    }

    /// <summary>Drops every buffered record (the task is suspended or closed: the next owner reads them again
    /// from the committed offsets).</summary>
    public void Clear()
    {
        foreach (var queue in _queues) queue.Clear();
        Array.Clear(_atEnd);
        _waitingSinceMs = -1;
    }
}
