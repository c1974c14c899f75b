using Otto.Payments;
using Confluent.SchemaRegistry;
using Otto.Schemas.Registry;
using Otto.Streams.SchemaRegistry;

namespace Otto.Streams.Worker.Configuration;

/// <summary>Turns <see cref="OttoOptions"/> into what the engine and the topology need.</summary>
public static class OttoRuntime
{
    /// <summary>The engine configuration: dead-letter everything unreadable or failing, never stop a partition.</summary>
    public static StreamConfig StreamConfig(OttoOptions options) => new()
    {
        ApplicationId = options.Streams.ApplicationId,
        BootstrapServers = options.Kafka.BootstrapServers,
        ClientProperties = options.Kafka.Properties,
        NumStreamThreads = options.Streams.NumStreamThreads,
        CommitInterval = options.Streams.CommitInterval,
        StateDir = options.Streams.StateDir,
        Guarantee = options.Streams.Guarantee,
        // Retriable refusals are retried; under exactly-once a refused record aborts the transaction.
        ProductionErrors = options.Streams.ProductionErrors ??
            (options.Streams.Guarantee == ProcessingGuarantee.ExactlyOnceV2 ? ProductionErrorHandling.Fail : ProductionErrorHandling.Retry),
        ShutdownTimeout = options.Streams.ShutdownTimeout,
        StatisticsInterval = options.Streams.StatisticsInterval,
        RocksDbBlockCacheBytes = options.Streams.RocksDbBlockCacheBytes,
        RocksDbWriteBufferBytes = options.Streams.RocksDbWriteBufferBytes,
        StatestoreCacheMaxBytes = options.Streams.StatestoreCacheMaxBytes,
        DeserializationErrors = ErrorHandling.DeadLetter,
        ProcessingErrors = ErrorHandling.DeadLetter,
        DeadLetterTopic = new PaymentTopics(options.Payments.Env).DeadLetter,
        ApplicationServer = options.Query.ApplicationServer(options.Metrics),
        Partitioner = options.Streams.Partitioner,
    };

    /// <summary>The registry client for the configured URL and credentials.</summary>
    public static ISchemaRegistryClient Registry(SchemaRegistryOptions options) => options.CreateClient();

    /// <summary>The payments topology with serdes bound to the registry.</summary>
    public static Topology Topology(OttoOptions options, ISchemaRegistryClient registry) =>
        PaymentsTopology.Build(options.Payments, new PaymentsSerDes(registry, options.SchemaRegistry.AutoRegisterSchemas));
}
