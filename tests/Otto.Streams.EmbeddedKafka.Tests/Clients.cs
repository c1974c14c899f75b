using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>Confluent.Kafka clients configured the way Otto's workers use them.</summary>
internal static class Clients
{
    public static ProducerConfig ProducerConfig(EmbeddedKafkaCluster cluster) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        // Same key → partition mapping as the Java clients.
        Partitioner = Partitioner.Murmur2Random,
        LingerMs = 5,
        ReconnectBackoffMs = 50,
        ReconnectBackoffMaxMs = 500,
    };

    public static IProducer<string, string> Producer(EmbeddedKafkaCluster cluster, Action<Error>? onError = null) =>
        new ProducerBuilder<string, string>(ProducerConfig(cluster))
            .SetErrorHandler((_, e) => onError?.Invoke(e))
            .SetLogHandler((_, _) => { })
            .Build();

    public static ConsumerConfig ConsumerConfig(EmbeddedKafkaCluster cluster, string groupId) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
        EnablePartitionEof = false,
    };

    public static IConsumer<string, string> Consumer(EmbeddedKafkaCluster cluster, string groupId) =>
        new ConsumerBuilder<string, string>(ConsumerConfig(cluster, groupId))
            .SetErrorHandler((_, _) => { })
            .SetLogHandler((_, _) => { })
            .Build();
}
