using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// A stream thread's main consumer: the real consumer, plus it remembers in <see cref="ConsumedRecords"/> what it
/// hands to Streamiz, and runs the supplier's commit guard before it commits offsets.
/// </summary>
internal sealed class RecordTrackingConsumer(IConsumer<byte[], byte[]> inner, ConsumedRecords records, Action commitGuard, ILogger logger)
    : ForwardingConsumer(inner)
{
    public override ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => Track(() => Inner.Consume(millisecondsTimeout));
    public override ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => Track(() => Inner.Consume(cancellationToken));
    public override ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => Track(() => Inner.Consume(timeout));

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
    public override void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        var list = offsets as IReadOnlyCollection<TopicPartitionOffset> ?? offsets.ToList();
        commitGuard();
        try
        {
            Inner.Commit(list);
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.RebalanceInProgress)
        {
            logger.LogWarning("Offsets of {Partitions} partitions not committed: the group is rebalancing ({Reason}); their records " +
                "will be processed again by the partitions' next owner", list.Count, e.Error.Reason);
            return;
        }
        records.ForgetCommitted(list);
    }

    public override List<TopicPartitionOffset> Commit()
    {
        commitGuard();
        var committed = Inner.Commit();
        records.ForgetCommitted(committed);
        return committed;
    }

    public override void Commit(ConsumeResult<byte[], byte[]> result)
    {
        commitGuard();
        Inner.Commit(result);
        records.ForgetBefore(result.Topic, result.Partition.Value, result.Offset.Value + 1);
    }

    public override void Unassign()
    {
        Inner.Unassign();
        records.Clear();
    }

    public override void IncrementalUnassign(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions as IReadOnlyCollection<TopicPartition> ?? partitions.ToList();
        Inner.IncrementalUnassign(list);
        records.Forget(list);
    }

    public override void Unsubscribe()
    {
        Inner.Unsubscribe();
        records.Clear();
    }

    public override void Close()
    {
        Inner.Close();
        records.Clear();
    }

    public override void Dispose()
    {
        Inner.Dispose();
        records.Clear();
    }
}
