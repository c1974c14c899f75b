using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>The client settings a stream thread needs, on top of the user's <see cref="StreamConfig.ClientProperties"/>.</summary>
internal static class KafkaClientConfigs
{
    public static ProducerConfig Producer(StreamConfig config, string clientId) => new(Base(config, clientId + "-producer"))
    {
        // Java clients' partitioner, so records keyed alike land alike whoever produced them (co-partitioning).
        Partitioner = Partitioner.Murmur2Random,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
    };

    public static ConsumerConfig MainConsumer(StreamConfig config, string clientId) => new(Base(config, clientId + "-consumer"))
    {
        GroupId = config.ApplicationId,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // Range keeps partition p of co-partitioned topics on the same consumer, which tasks need.
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        EnablePartitionEof = false,
    };

    public static ConsumerConfig RestoreConsumer(StreamConfig config, string clientId) => new(Base(config, clientId + "-restore-consumer"))
    {
        GroupId = config.ApplicationId + "-restore",
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnablePartitionEof = true,
    };

    public static AdminClientConfig Admin(StreamConfig config) => new(Base(config, config.ApplicationId + "-admin"));

    private static ClientConfig Base(StreamConfig config, string clientId)
    {
        var properties = new Dictionary<string, string>(config.ClientProperties)
        {
            ["bootstrap.servers"] = config.BootstrapServers,
            ["client.id"] = clientId,
        };
        return new ClientConfig(properties);
    }
}
