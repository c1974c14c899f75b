using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>The client settings a stream thread needs, on top of the user's <see cref="StreamConfig.ClientProperties"/>.</summary>
internal static class KafkaClientConfigs
{
    // transactionalId is set under exactly_once_v2: the thread's producer is then transactional.
    public static ProducerConfig Producer(StreamConfig config, string clientId, string? transactionalId = null) => new(Base(config, clientId + "-producer", "producer."))
    {
        TransactionalId = transactionalId,
        // The source topics' producers' partitioner (Java clients' by default), so records keyed alike land alike
        // whoever produced them (co-partitioning), and key queries find them.
        Partitioner = config.Partitioner,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
    };

    public static ConsumerConfig MainConsumer(StreamConfig config, string clientId) => new(Base(config, clientId + "-consumer", "consumer."))
    {
        GroupId = config.ApplicationId,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // Range keeps partition p of co-partitioned topics on the same consumer, which tasks need.
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        // A partition's end tells a task that no older record is on its way (see PartitionGroup).
        EnablePartitionEof = true,
        IsolationLevel = Isolation(config),
    };

    // Under exactly_once_v2 nothing of an aborted or open transaction may be read, inputs and changelogs alike.
    private static IsolationLevel Isolation(StreamConfig config) =>
        config.Guarantee == ProcessingGuarantee.ExactlyOnceV2 ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted;

    public static ConsumerConfig RestoreConsumer(StreamConfig config, string clientId) => new(Base(config, clientId + "-restore-consumer", "consumer."))
    {
        GroupId = config.ApplicationId + "-restore",
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnablePartitionEof = true,
        IsolationLevel = Isolation(config),
    };

    public static AdminClientConfig Admin(StreamConfig config) => new(Base(config, config.ApplicationId + "-admin", "admin."));

    /// <summary>Unprefixed properties go to every client; "producer.", "consumer." and "admin." ones only to
    /// that kind of client (Kafka Streams' convention), so librdkafka warns about nothing.</summary>
    private static ClientConfig Base(StreamConfig config, string clientId, string prefix)
    {
        var properties = new Dictionary<string, string>();
        foreach (var (key, value) in config.ClientProperties)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal)) properties[key[prefix.Length..]] = value;
            else if (!ClientPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) properties.TryAdd(key, value);
        }
        properties["bootstrap.servers"] = config.BootstrapServers;
        properties["client.id"] = clientId;
        if (config.StatisticsInterval > TimeSpan.Zero)
            properties["statistics.interval.ms"] = ((int)config.StatisticsInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ClientConfig(properties);
    }

    private static readonly string[] ClientPrefixes = ["producer.", "consumer.", "admin."];
}
