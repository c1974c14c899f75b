using Microsoft.Extensions.Logging;
using Otto.DevSchemaRegistry;
using Otto.Payments;
using Otto.Payments.Docs;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Embedded;

/// <summary>
/// The embedded default: librdkafka's mock Kafka cluster on 127.0.0.1 and the dev schema registry, with every
/// Otto topic created up front at the partition count the topology needs (on the mock, a client's metadata
/// request would otherwise auto-create a topic with 4 partitions). For local runs and tests only.
/// </summary>
public sealed class DevCluster : IAsyncDisposable
{
    private DevCluster(EmbeddedKafkaCluster kafka, DevSchemaRegistryServer registry)
    {
        Kafka = kafka;
        Registry = registry;
    }

    /// <summary>
    /// Client settings for the mock cluster: its group coordinator waits a full session timeout for a member
    /// that left before it completes a rebalance, so a restarted worker would wait 45 s for its partitions.
    /// Six seconds is the smallest session timeout a real broker accepts. Shorter fetch waits keep the
    /// request → reply → repartition round trip (three fetches) well inside the demo's reply timeout.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ClientProperties { get; } = new Dictionary<string, string>
    {
        ["main.consumer.session.timeout.ms"] = "6000",
        ["main.consumer.heartbeat.interval.ms"] = "1000",
        ["main.consumer.fetch.wait.max.ms"] = "100",
    };

    /// <summary>A state directory for workers on this cluster, deleted with it: state restored from a cluster
    /// that no longer exists would be someone else's.</summary>
    public string StateDir { get; } = Directory.CreateTempSubdirectory("otto-dev-state-").FullName;

    /// <summary>The mock cluster.</summary>
    public EmbeddedKafkaCluster Kafka { get; }

    /// <summary>The dev schema registry.</summary>
    public DevSchemaRegistryServer Registry { get; }

    /// <summary>bootstrap.servers of the mock cluster.</summary>
    public string BootstrapServers => Kafka.BootstrapServers;

    /// <summary>The registry's URL.</summary>
    public Uri RegistryUrl => Registry.Url;

    /// <summary>Starts the cluster and the registry and creates the Otto topics of <paramref name="env"/>, and
    /// when <paramref name="applicationId"/> is given the changelogs and repartition topic a
    /// separate `otto run` with that id needs (it cannot create them itself: the mock does not serve CreateTopics).</summary>
    /// <param name="loggers">Where the cluster's own librdkafka lines go (null: raw to stderr).</param>
    public static async Task<DevCluster> StartAsync(string env, int partitions, int registryPort = 0, string? applicationId = null, CancellationToken ct = default,
        ILoggerFactory? loggers = null)
    {
        var kafka = EmbeddedKafkaCluster.Start(loggers: loggers);
        try
        {
            foreach (var name in new PaymentTopics(env).All) kafka.CreateTopic(name, partitions);
            if (applicationId is not null) CreateApplicationTopics(kafka, env, applicationId, partitions);
            var registry = await DevSchemaRegistryServer.StartAsync(registryPort, ct);
            return new DevCluster(kafka, registry);
        }
        catch
        {
            kafka.Dispose();
            throw;
        }
    }

    /// <summary>Creates on the running cluster what a separate `otto run` with application id <paramref name="applicationId"/>
    /// needs and cannot create itself, as <see cref="StartAsync"/> does for its own: the Otto topics of
    /// <paramref name="env"/> exist since the start.</summary>
    public void CreateApplicationTopics(string env, string applicationId, int partitions) =>
        CreateApplicationTopics(Kafka, env, applicationId, partitions);

    // The application's own topics of the worker's list (the read side's instance directory), and what Streamiz would
    // create itself on a real cluster (the mock serves no CreateTopics): the changelogs and the repartition topic.
    private static void CreateApplicationTopics(EmbeddedKafkaCluster kafka, string env, string applicationId, int partitions)
    {
        var topics = WorkerTopics.Required(env, applicationId, partitions).ExceptBy(new PaymentTopics(env).All, t => t.Name).Select(t => (t.Name, t.Partitions))
            .Concat(PaymentsInternalTopics(env, applicationId).Select(name => (name, partitions)));
        foreach (var (name, count) in topics) kafka.CreateTopic(name, count);
    }

    /// <summary>Worker settings pointing at this cluster and registry (schemas registered on first use).</summary>
    public OttoOptions WorkerOptions(string applicationId, PaymentsOptions payments, TimeSpan commitInterval) => new()
    {
        Kafka = { BootstrapServers = BootstrapServers, Properties = new(ClientProperties) },
        SchemaRegistry = { Url = RegistryUrl.ToString(), AutoRegisterSchemas = true },
        Streams = { ApplicationId = applicationId, CommitInterval = commitInterval, StateDir = StateDir },
        Payments = payments,
    };

    // The changelogs and the repartition topic Streamiz would create for the payments topology run as applicationId.
    private static IEnumerable<string> PaymentsInternalTopics(string env, string applicationId)
    {
        var topics = new InternalTopics(PaymentsTopology.ForInspection(new PaymentsOptions { Env = env }).Describe(), applicationId);
        return topics.Changelogs.Values.Concat(topics.Repartition.Select(topics.RunTimeName));
    }

    /// <summary>Stops the registry and the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync();
        Kafka.Dispose();
        try { Directory.Delete(StateDir, recursive: true); }
        catch (IOException) { } // a worker still closing its stores; the temp directory is the OS's to clean

    }
}
