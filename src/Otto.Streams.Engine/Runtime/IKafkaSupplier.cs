using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>Called by the main consumer when its partitions change (from inside Consume, on the thread).</summary>
public interface IRebalanceListener
{
    /// <summary>New partitions are ours.</summary>
    void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions are being taken away in an orderly rebalance: commit what was processed.</summary>
    void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions were lost (session timeout): they may already be owned elsewhere, so do not commit.</summary>
    void PartitionsLost(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions);
}

/// <summary>
/// Makes the Kafka clients a stream thread uses. Production uses <see cref="DefaultKafkaSupplier"/>; tests
/// can supply in-memory clients, and the task code stays the same.
/// </summary>
public interface IKafkaSupplier
{
    /// <summary>The producer for output, changelogs and dead letters.</summary>
    IProducer<byte[], byte[]> GetProducer(ProducerConfig config);

    /// <summary>The main consumer, in the application's consumer group.</summary>
    IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IRebalanceListener listener);

    /// <summary>A group-less consumer for reading changelogs during restoration.</summary>
    IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config);

    /// <summary>An admin client for metadata and internal topic creation.</summary>
    IAdminClient GetAdmin(AdminClientConfig config);
}

/// <summary>The real Confluent.Kafka clients; librdkafka's statistics (when statistics.interval.ms is set) feed the
/// otto.streams.client.* gauges.</summary>
public sealed class DefaultKafkaSupplier : IKafkaSupplier
{
    /// <inheritdoc />
    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) =>
        new ProducerBuilder<byte[], byte[]>(config).SetStatisticsHandler((_, json) => ClientStatistics.Record(json)).Build();

    /// <inheritdoc />
    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IRebalanceListener listener) =>
        new ConsumerBuilder<byte[], byte[]>(config)
            .SetStatisticsHandler((_, json) => ClientStatistics.Record(json))
            .SetPartitionsAssignedHandler((c, parts) => listener.PartitionsAssigned(c, parts))
            .SetPartitionsRevokedHandler((c, parts) => listener.PartitionsRevoked(c, parts.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((c, parts) => listener.PartitionsLost(c, parts.Select(p => p.TopicPartition).ToList()))
            .Build();

    /// <inheritdoc />
    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) =>
        new ConsumerBuilder<byte[], byte[]>(config).SetStatisticsHandler((_, json) => ClientStatistics.Record(json)).Build();

    /// <inheritdoc />
    public IAdminClient GetAdmin(AdminClientConfig config) => new AdminClientBuilder(config).Build();
}
