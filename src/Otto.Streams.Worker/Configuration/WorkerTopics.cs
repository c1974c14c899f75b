using Otto.Payments;
using Otto.Streams.Streamiz.Instances;

namespace Otto.Streams.Worker.Configuration;

/// <summary>A topic that must exist before an `otto run` starts.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Partitions">Its partition count.</param>
/// <param name="Config">Topic settings beyond the broker's defaults (e.g. cleanup.policy).</param>
public sealed record WorkerTopic(string Name, int Partitions, IReadOnlyDictionary<string, string> Config);

/// <summary>
/// The topics a worker needs and does not create: the payments topology's inputs and outputs and the dead-letter topic
/// (<see cref="PaymentTopics.All"/>), all with one partition count because the topology reads them together (the worker
/// checks co-partitioning at start), and the read side's instance directory (one partition, compact+delete). Streamiz
/// creates the changelogs and the repartition topic itself on a real cluster. `./otto dev-cluster` and `otto topics`
/// (the compose set-up job) create this list.
/// </summary>
public static class WorkerTopics
{
    private static readonly IReadOnlyDictionary<string, string> BrokerDefaults = new Dictionary<string, string>();

    /// <summary>The topics of environment <paramref name="env"/> for application <paramref name="applicationId"/>.</summary>
    public static IReadOnlyList<WorkerTopic> Required(string env, string applicationId, int partitions) =>
    [
        .. new PaymentTopics(env).All.Select(name => new WorkerTopic(name, partitions, BrokerDefaults)),
        // Only the latest entry per instance matters; entries of instances gone without a tombstone age out.
        new(InstanceDirectory.TopicFor(applicationId), 1, new Dictionary<string, string> { ["cleanup.policy"] = "compact,delete" }),
    ];
}
