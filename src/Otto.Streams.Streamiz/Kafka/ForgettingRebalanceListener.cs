using Confluent.Kafka;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// Streamiz's rebalance listener, plus: a revoked or lost partition's records are dropped from
/// <see cref="ConsumedRecords"/> once Streamiz has closed its task (its buffered records are gone with it).
/// </summary>
internal sealed class ForgettingRebalanceListener(IConsumerRebalanceListener inner, ConsumedRecords records) : IConsumerRebalanceListener
{
    public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) =>
        inner.PartitionsAssigned(consumer, partitions);

    public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        inner.PartitionsRevoked(consumer, partitions);
        records.Forget(partitions.Select(p => p.TopicPartition));
    }

    public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        inner.PartitionsLost(consumer, partitions);
        records.Forget(partitions.Select(p => p.TopicPartition));
    }
}
