using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// The records one stream thread's consumer handed to Streamiz, by partition and offset, kept (as references, no
/// copies) until they are known to be processed: Streamiz keeps only the deserialized key and value past its source
/// node, so this is where a dead letter finds a record's original bytes and headers.
/// </summary>
/// <remarks>
/// A record is forgotten when its offset is committed (consumer commit or, under exactly-once, offsets sent to the
/// transaction), when a later record of its partition reaches a dead-lettering processor (Streamiz processes a
/// partition's records one at a time, in offset order), and when its partition is revoked or lost. So it holds what
/// Streamiz buffers plus, for partitions whose records reach no dead-lettering processor, one commit interval.
/// Used by the stream thread that owns the consumer; the lock only guards against surprises (it is uncontended).
/// </remarks>
internal sealed class ConsumedRecords
{
    // The stream thread's own index: set by its consumer on every Consume, read by dead letters on the same thread.
    [ThreadStatic] private static ConsumedRecords? _current;

    private readonly Dictionary<(string Topic, int Partition), PartitionRecords> _partitions = [];
    private readonly Lock _lock = new();

    /// <summary>The index of the consumer that last consumed on this thread (a Streamiz stream thread), or null.</summary>
    internal static ConsumedRecords? Current => _current;

    internal void MakeCurrent() => _current = this;

    /// <summary>How many records are held, all partitions together.</summary>
    internal int Count
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Values.Sum(p => p.Count);
            }
        }
    }

    internal void Add(ConsumeResult<byte[], byte[]> record)
    {
        lock (_lock)
        {
            var key = (record.Topic, record.Partition.Value);
            if (!_partitions.TryGetValue(key, out var records))
            {
                _partitions[key] = records = new PartitionRecords();
            }

            records.Add(record);
        }
    }

    internal ConsumeResult<byte[], byte[]>? Find(string topic, int partition, long offset)
    {
        lock (_lock)
        {
            return _partitions.TryGetValue((topic, partition), out var records) ? records.Find(offset) : null;
        }
    }

    /// <summary>Forgets the partition's records below <paramref name="offset"/>.</summary>
    internal void ForgetBefore(string topic, int partition, long offset)
    {
        lock (_lock)
        {
            if (_partitions.TryGetValue((topic, partition), out var records))
            {
                records.ForgetBefore(offset);
            }
        }
    }

    /// <summary>Forgets what committed offsets (the next offsets to read) say is done.</summary>
    internal void ForgetCommitted(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var o in offsets)
        {
            if (o.Offset.Value >= 0)
            {
                ForgetBefore(o.Topic, o.Partition.Value, o.Offset.Value);
            }
        }
    }

    internal void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_lock)
        {
            foreach (var p in partitions)
            {
                _partitions.Remove((p.Topic, p.Partition.Value));
            }
        }
    }

    internal void Clear()
    {
        lock (_lock)
        {
            _partitions.Clear();
        }
    }

    /// <summary>One partition's records, offsets strictly increasing from <c>_head</c> to the end.</summary>
    private sealed class PartitionRecords
    {
        private readonly List<ConsumeResult<byte[], byte[]>?> _items = [];
        private int _head;

        public int Count => _items.Count - _head;

        public void Add(ConsumeResult<byte[], byte[]> record)
        {
            // After a seek back (a task re-reading from its committed offset) the consumer repeats offsets: the
            // newer copy replaces the old one.
            var offset = record.Offset.Value;
            while (Count > 0 && _items[^1]!.Offset.Value >= offset)
            {
                _items.RemoveAt(_items.Count - 1);
            }

            _items.Add(record);
        }

        public ConsumeResult<byte[], byte[]>? Find(long offset)
        {
            int lo = _head, hi = _items.Count - 1;
            while (lo <= hi)
            {
                var mid = lo + ((hi - lo) / 2);
                var at = _items[mid]!.Offset.Value;
                if (at == offset)
                {
                    return _items[mid];
                }

                if (at < offset)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return null;
        }

        public void ForgetBefore(long offset)
        {
            while (Count > 0 && _items[_head]!.Offset.Value < offset)
            {
                _items[_head++] = null;
            }

            // Compact once the dead head is most of the list, so removal stays amortized O(1).
            if (_head > 64 && _head * 2 > _items.Count)
            {
                _items.RemoveRange(0, _head);
                _head = 0;
            }
        }
    }
}
