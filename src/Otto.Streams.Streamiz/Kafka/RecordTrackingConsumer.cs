using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// A stream thread's main consumer: the real consumer, plus it remembers in <see cref="ConsumedRecords"/> what it
/// hands to Streamiz, and runs the supplier's commit guard before it commits offsets.
/// </summary>
internal sealed class RecordTrackingConsumer(IConsumer<byte[], byte[]> inner, ConsumedRecords records, Action commitGuard, ILogger logger)
    : IConsumer<byte[], byte[]>
{
    public ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => Track(() => inner.Consume(millisecondsTimeout));
    public ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => Track(() => inner.Consume(cancellationToken));
    public ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => Track(() => inner.Consume(timeout));

    // librdkafka reports some fetch errors it is already recovering from (a partition's fetch that timed out, a leader
    // that moved) through Consume as well; thrown into Streamiz 1.8, each one stops the stream thread or, answered
    // CONTINUE, makes it drop every task and rejoin the group. They are logged and the poll goes on instead.
    private ConsumeResult<byte[], byte[]> Track(Func<ConsumeResult<byte[], byte[]>?> consume)
    {
        try
        {
            return Track(consume());
        }
        catch (ConsumeException e) when (!e.Error.IsFatal && e.Error.Code is ErrorCode.RequestTimedOut or ErrorCode.NotLeaderForPartition
            or ErrorCode.LeaderNotAvailable or ErrorCode.NetworkException or ErrorCode.BrokerNotAvailable or ErrorCode.ReplicaNotAvailable
            or ErrorCode.KafkaStorageError or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut)
        {
            logger.LogWarning("Fetch error librdkafka retries, polling on: {Reason} ({Code})", e.Error.Reason, e.Error.Code);
            return Track((ConsumeResult<byte[], byte[]>?)null);
        }
    }

    private ConsumeResult<byte[], byte[]> Track(ConsumeResult<byte[], byte[]>? result)
    {
        records.MakeCurrent();
        if (result is { IsPartitionEOF: false, Message: not null })
        {
            records.Add(result);
        }

        return result!;
    }

    // Streamiz 1.8 commits with Commit(offsets) under at-least-once (TaskManager.CommitOffsetsOrTransaction), after
    // flushing the thread's producer (StreamTask.PrepareCommit): the guard runs between the two, when the delivery
    // reports of everything produced so far, dead letters included, are in.
    //
    // A commit refused with REBALANCE_IN_PROGRESS is let go: the offsets stay where they were, and whoever owns the
    // partitions after the rebalance processes those records again (at least once; Otto's state makes repeats
    // harmless). Streamiz 1.8 would turn it into a migrated task, and when it comes from the commit in its revocation
    // callback (after a member died, the coordinator may already be rebalancing), Streamiz has taken the revoked
    // tasks out of its task list before committing and never closes them: their RocksDB stores stay open and locked,
    // and the thread dies when the same task comes back ("lock hold by current process"), or hangs with its
    // rebalance flag set. Kafka Streams likewise lets a revocation commit fail on a rebalance and goes on.
    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        var list = offsets as IReadOnlyCollection<TopicPartitionOffset> ?? offsets.ToList();
        commitGuard();
        try
        {
            inner.Commit(list);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress)
        {
            logger.LogWarning("Offsets of {Partitions} partitions not committed: the group is rebalancing ({Reason}); their records " +
                "will be processed again by the partitions' next owner", list.Count, e.Error.Reason);
            return;
        }
        records.ForgetCommitted(list);
    }

    public List<TopicPartitionOffset> Commit()
    {
        commitGuard();
        var committed = inner.Commit();
        records.ForgetCommitted(committed);
        return committed;
    }

    public void Commit(ConsumeResult<byte[], byte[]> result)
    {
        commitGuard();
        inner.Commit(result);
        records.ForgetBefore(result.Topic, result.Partition.Value, result.Offset.Value + 1);
    }

    public void Unassign()
    {
        inner.Unassign();
        records.Clear();
    }

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions as IReadOnlyCollection<TopicPartition> ?? partitions.ToList();
        inner.IncrementalUnassign(list);
        records.Forget(list);
    }

    public void Unsubscribe()
    {
        inner.Unsubscribe();
        records.Clear();
    }

    public void Close()
    {
        inner.Close();
        records.Clear();
    }

    public void Dispose()
    {
        inner.Dispose();
        records.Clear();
    }

    // Everything below is the real consumer's.
    public Handle Handle => inner.Handle;
    public string Name => inner.Name;
    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);
    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);
    public string MemberId => inner.MemberId;
    public List<TopicPartition> Assignment => inner.Assignment;
    public List<string> Subscription => inner.Subscription;
    public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;
    public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);
    public void Subscribe(string topic) => inner.Subscribe(topic);
    public void Assign(TopicPartition partition) => inner.Assign(partition);
    public void Assign(TopicPartitionOffset partition) => inner.Assign(partition);
    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);
    public void Assign(IEnumerable<TopicPartition> partitions) => inner.Assign(partitions);
    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => inner.IncrementalAssign(partitions);
    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => inner.IncrementalAssign(partitions);
    public void StoreOffset(ConsumeResult<byte[], byte[]> result) => inner.StoreOffset(result);
    public void StoreOffset(TopicPartitionOffset offset) => inner.StoreOffset(offset);
    public void Seek(TopicPartitionOffset tpo) => inner.Seek(tpo);
    public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);
    public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);
    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => inner.Committed(timeout);
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);
    public Offset Position(TopicPartition partition) => inner.Position(partition);
    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        inner.OffsetsForTimes(timestampsToSearch, timeout);
    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => inner.GetWatermarkOffsets(topicPartition);
    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => inner.QueryWatermarkOffsets(topicPartition, timeout);
}
