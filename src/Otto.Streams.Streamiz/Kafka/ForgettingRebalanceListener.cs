using Confluent.Kafka;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// Streamiz's rebalance listener, plus:
/// <list type="bullet">
/// <item>a revoked or lost partition's records are dropped from <see cref="ConsumedRecords"/> once Streamiz has closed
/// its task (its buffered records are gone with it);</item>
/// <item>a revocation that fails is finished as a loss. Streamiz 1.8's PartitionsRevoked sets its task manager's
/// "rebalance in progress" flag, commits the revoked tasks' offsets and only then clears the flag, with no
/// try/finally: when it throws, the flag stays set, the stream thread never polls again, and the worker sits
/// RUNNING with no partitions for good (seen with three `otto run` workers, one killed with SIGKILL, when the
/// revocation's commit was refused; <see cref="RecordTrackingConsumer"/> now lets that refusal go). Streamiz's
/// PartitionsLost clears the flag in a finally, so the thread goes on and the error reaches Streamiz; the revoked
/// tasks Streamiz had already let go of may still hold their stores, and the thread then dies loudly when they come
/// back instead of hanging.</item>
/// </list>
/// </summary>
internal sealed class ForgettingRebalanceListener(IConsumerRebalanceListener inner, ConsumedRecords records) : IConsumerRebalanceListener
{
    public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) =>
        inner.PartitionsAssigned(consumer, partitions);

    public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        try
        {
            inner.PartitionsRevoked(consumer, partitions);
        }
        catch
        {
            inner.PartitionsLost(consumer, partitions);
            throw;
        }
        finally
        {
            records.Forget(partitions.Select(p => p.TopicPartition));
        }
    }

    public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        inner.PartitionsLost(consumer, partitions);
        records.Forget(partitions.Select(p => p.TopicPartition));
    }
}
