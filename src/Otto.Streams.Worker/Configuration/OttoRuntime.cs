using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Payments;
using Otto.Schemas.Registry;
using Otto.Streams.SchemaRegistry;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.State;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Streams.Worker.Configuration;

/// <summary>Turns <see cref="OttoOptions"/> into what Streamiz and the topology need.</summary>
public static class OttoRuntime
{
    /// <summary>Streamiz's configuration from Otto's settings. Otto changes these Streamiz defaults: MaxTaskIdleMs (500 ms,
    /// not 0), MaxPollRestoringRecords (10,000, not 1,000), PollMs (10 ms, not 100), CommitIntervalMs (5 s), RocksDB's
    /// block cache (one per instance, not one per store), StateDir, auto.offset.reset (earliest, as Kafka Streams: Streamiz leaves
    /// librdkafka's latest, so a new application skipped every fact published before its group first joined), and with
    /// a GroupInstanceId the main consumer's group.instance.id and, unless configured, session.timeout.ms;
    /// <see cref="Hosting.StreamHost"/> sets the exception handlers.</summary>
    public static StreamConfig<StringSerDes, StringSerDes> StreamConfig(OttoOptions options, ILoggerFactory? loggers = null)
    {
        var s = options.Streams;
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = s.ApplicationId,
            BootstrapServers = options.Kafka.BootstrapServers,
            NumStreamThreads = s.NumStreamThreads,
            StateDir = s.StateDir,
            MaxTaskIdleMs = (long)s.MaxTaskIdle.TotalMilliseconds,
            MaxPollRestoringRecords = s.MaxPollRestoringRecords,
            PollMs = (long)s.PollTimeout.TotalMilliseconds,
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            MetricsIntervalMs = (long)s.MetricsInterval.TotalMilliseconds,
            Logger = loggers ?? NullLoggerFactory.Instance,
            // One block cache for the instance's stores (Streamiz: one per store), so memory does not grow with partitions.
            RocksDbConfigHandler = new RocksDbMemory(s.RocksDbBlockCacheSize, s.RocksDbWriteBufferSize).Configure,
        };
        // Setting Guarantee resets CommitIntervalMs to its guarantee's default: set it first.
        config.Guarantee = s.Guarantee;
        config.CommitIntervalMs = (long)s.CommitInterval.TotalMilliseconds;
        foreach (var (key, value) in options.Kafka.Properties) StreamizProperties.Add(config, key, value);
        if (!string.IsNullOrEmpty(s.GroupInstanceId))
        {
            // Under the main consumer's prefix: restore and global consumers are no group members. Otto's Kafka
            // supplier gives each stream thread's consumer its own id from this one.
            StreamizProperties.Add(config, "main.consumer.group.instance.id", s.GroupInstanceId);
            if (!options.Kafka.Properties.ContainsKey("session.timeout.ms") && !options.Kafka.Properties.ContainsKey("main.consumer.session.timeout.ms"))
            {
                StreamizProperties.Add(config, "main.consumer.session.timeout.ms",
                    ((long)StreamsOptions.StaticSessionTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return config;
    }

    /// <summary>The registry client for the configured URL and credentials.</summary>
    public static ISchemaRegistryClient Registry(SchemaRegistryOptions options) => options.CreateClient();

    /// <summary>The payments topology with serdes bound to the registry, dead-lettering what its processors throw on,
    /// its payment tasks reading the backlog they took over before they judge deadlines.</summary>
    public static Topology Topology(OttoOptions options, ISchemaRegistryClient registry, DeadLetterQueue? deadLetters = null,
        TakeoverCatchUp? catchUp = null) =>
        PaymentsTopology.Build(options.Payments, new PaymentsSerDes(registry, options.SchemaRegistry.AutoRegisterSchemas), deadLetters, catchUp);
}
