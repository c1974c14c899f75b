using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Docs;

/// <summary>
/// The topics a Streamiz topology adds at run time, as it names them for an application id. Streamiz's
/// <see cref="Topology.Describe"/> shows repartition topics without the application id and no changelogs at all; this
/// reads them off the description the way Streamiz 1.8.2 names them:
/// <list type="bullet">
/// <item>a topic that the topology writes and reads back and whose name ends in <c>-repartition</c> (what
/// <c>Repartition</c>, <c>GroupBy</c> and re-keyed joins create) runs as <c>{application id}-{topic}</c>;</item>
/// <item>every store of a sub-topology is logged to <c>{application id}-{store}-changelog</c>, a KTable read from a
/// topic (<c>StreamBuilder.Table</c>) included: unlike a global table, Streamiz 1.8.2 does not restore it from its
/// source topic.</item>
/// </list>
/// The description does not say whether a store's logging was turned off, so such a store would still be shown with a
/// changelog; TopologyDocsTests checks the payments topology against Streamiz's own list.
/// </summary>
public sealed class InternalTopics
{
    private readonly string _applicationId;

    /// <summary>Reads the internal topics of <paramref name="description"/> run as <paramref name="applicationId"/>.</summary>
    public InternalTopics(ITopologyDescription description, string applicationId)
    {
        _applicationId = applicationId;
        var nodes = description.SubTopologies.OrderBy(s => s.Id).SelectMany(s => s.Nodes).ToList();
        var written = nodes.OfType<ISinkNodeDescription>().Select(s => s.Topic).OfType<string>().ToHashSet();
        Repartition = nodes.OfType<ISourceNodeDescription>().SelectMany(s => s.Topics)
            .Where(t => written.Contains(t) && t.EndsWith("-repartition", StringComparison.Ordinal)).Distinct().ToList();
        Changelogs = nodes.OfType<IProcessorNodeDescription>().SelectMany(p => p.Stores).Distinct()
            .ToDictionary(store => store, store => $"{applicationId}-{store}-changelog");
    }

    /// <summary>The repartition topics as the description names them (without the application id), in the order
    /// sub-topologies read them.</summary>
    public IReadOnlyList<string> Repartition { get; }

    /// <summary>Each sub-topology store's changelog topic, in the order processors first use the stores.</summary>
    public IReadOnlyDictionary<string, string> Changelogs { get; }

    /// <summary>The name a topic of the description has at run time: a repartition topic gets the application id.</summary>
    public string RunTimeName(string topic) => Repartition.Contains(topic) ? $"{_applicationId}-{topic}" : topic;

    /// <summary>True for a repartition topic's run-time name.</summary>
    public bool IsRepartition(string runTimeName) => Repartition.Any(t => RunTimeName(t) == runTimeName);

    /// <summary>True for a changelog topic.</summary>
    public bool IsChangelog(string topic) => Changelogs.Values.Contains(topic);
}
