using Confluent.Kafka;

namespace Otto.IntegrationTests.InMemory;

/// <summary>
/// A Kafka cluster in memory for proving what the mock cluster cannot: transactions with real markers (records
/// of an open transaction are invisible to read_committed readers, an aborted transaction's records stay
/// invisible forever, TxnOffsetCommit offsets count) and producer fencing by transactional id. Single consumer
/// per group, enough for one stream thread. Thread-safe through one lock.
/// </summary>
internal sealed class InMemoryKafka
{
    private readonly Dictionary<string, List<StoredRecord>[]> _topics = [];
    private readonly Dictionary<(string Group, TopicPartition Partition), long> _committed = [];
    private readonly Dictionary<string, int> _epochs = [];
    private readonly object _lock = new();

    internal sealed class StoredRecord(Message<byte[], byte[]> message, string? transactionalId)
    {
        public Message<byte[], byte[]> Message { get; } = message;
        public string? TransactionalId { get; } = transactionalId;
        /// <summary>Null while its transaction is open; true committed, false aborted.</summary>
        public bool? Committed { get; set; } = transactionalId is null ? true : null;
    }

    /// <summary>Decides per record whether its delivery fails, and with which error (default: never).</summary>
    public Func<string, Message<byte[], byte[]>, ErrorCode>? DeliveryFault { get; set; }

    /// <summary>Thrown once by the next CommitTransaction, then cleared.</summary>
    public KafkaException? CommitFault { get; set; }

    /// <summary>How many appends producers tried (retries included).</summary>
    public int DeliveryAttempts { get; private set; }

    public void CreateTopic(string name, int partitions)
    {
        lock (_lock) _topics[name] = Enumerable.Range(0, partitions).Select(_ => new List<StoredRecord>()).ToArray();
    }

    public int PartitionCount(string topic)
    {
        lock (_lock) return _topics.TryGetValue(topic, out var p) ? p.Length : 0;
    }

    /// <summary>Appends the record unless <paramref name="fault"/> (from <see cref="DeliveryFault"/>) fails it.</summary>
    public ErrorCode Append(TopicPartition tp, Message<byte[], byte[]> message, string? transactionalId, ErrorCode fault, out long offset)
    {
        lock (_lock)
        {
            DeliveryAttempts++;
            offset = -1;
            if (!_topics.TryGetValue(tp.Topic, out var log) || tp.Partition.Value >= log.Length) return ErrorCode.UnknownTopicOrPart;
            if (fault != ErrorCode.NoError) return fault;
            var partition = log[tp.Partition.Value];
            partition.Add(new StoredRecord(message, transactionalId));
            offset = partition.Count - 1;
            Monitor.PulseAll(_lock);
            return ErrorCode.NoError;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for an append.</summary>
    public void WaitForData(TimeSpan timeout)
    {
        lock (_lock) Monitor.Wait(_lock, timeout);
    }

    /// <summary>The next record at or after <paramref name="from"/> a reader may see, or null (read_committed stops
    /// at the first record of an open transaction and skips aborted ones).</summary>
    public (long Offset, Message<byte[], byte[]> Message)? Read(TopicPartition tp, long from, bool readCommitted)
    {
        lock (_lock)
        {
            var partition = _topics[tp.Topic][tp.Partition.Value];
            for (var i = from; i < partition.Count; i++)
            {
                var r = partition[(int)i];
                if (!readCommitted || r.Committed == true) return (i, r.Message);
                if (r.Committed is null) return null;
            }
            return null;
        }
    }

    public long EndOffset(TopicPartition tp)
    {
        lock (_lock) return _topics[tp.Topic][tp.Partition.Value].Count;
    }

    /// <summary>What a read_committed reader sees of a topic, all partitions, as (key, value) strings.</summary>
    public List<(string? Key, string? Value)> Committed(string topic) => Records(topic, r => r.Committed == true);

    /// <summary>Records of aborted transactions.</summary>
    public List<(string? Key, string? Value)> Aborted(string topic) => Records(topic, r => r.Committed == false);

    private List<(string?, string?)> Records(string topic, Func<StoredRecord, bool> filter)
    {
        lock (_lock)
            return _topics[topic].SelectMany(p => p).Where(filter)
                .Select(r => (Text(r.Message.Key), Text(r.Message.Value))).ToList();
    }

    private static string? Text(byte[]? bytes) => bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);

    public long? CommittedOffset(string group, TopicPartition tp)
    {
        lock (_lock) return _committed.TryGetValue((group, tp), out var o) ? o : null;
    }

    public void CommitOffsets(string group, IEnumerable<TopicPartitionOffset> offsets)
    {
        lock (_lock)
            foreach (var o in offsets) _committed[(group, o.TopicPartition)] = o.Offset.Value;
    }

    /// <summary>InitTransactions: a new epoch for the id aborts the open transaction of the old one and fences it.</summary>
    public int InitTransactions(string transactionalId)
    {
        lock (_lock)
        {
            EndTransaction(transactionalId, commit: false);
            return _epochs[transactionalId] = _epochs.GetValueOrDefault(transactionalId) + 1;
        }
    }

    /// <summary>What another instance starting with the same transactional id does to the current producer.</summary>
    public void Fence(string transactionalId) => InitTransactions(transactionalId);

    public bool IsCurrent(string transactionalId, int epoch)
    {
        lock (_lock) return _epochs.GetValueOrDefault(transactionalId) == epoch;
    }

    public void EndTransaction(string transactionalId, bool commit, string? group = null, IEnumerable<TopicPartitionOffset>? offsets = null)
    {
        lock (_lock)
        {
            foreach (var record in _topics.Values.SelectMany(t => t).SelectMany(p => p))
                if (record.TransactionalId == transactionalId && record.Committed is null) record.Committed = commit;
            if (commit && group is not null && offsets is not null) CommitOffsets(group, offsets);
            Monitor.PulseAll(_lock);
        }
    }
}
