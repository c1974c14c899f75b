using Otto.Streams.Description;
using Otto.Streams.Graph;
using Otto.Streams.Runtime;

namespace Otto.Streams;

/// <summary>A built topology: the graph a <see cref="KafkaStream"/> or a TopologyTestDriver runs.</summary>
public sealed class Topology
{
    internal Topology(InternalTopologyBuilder builder) => Builder = builder;

    internal InternalTopologyBuilder Builder { get; }

    /// <summary>The sub-topologies; each partition of a sub-topology's source topics is one task.</summary>
    public IReadOnlyList<Subtopology> Subtopologies => Builder.Subtopologies();

    /// <summary>Every topic the topology reads (internal topics under their undecorated names).</summary>
    public IReadOnlyList<string> SourceTopics => Subtopologies.SelectMany(s => s.SourceTopics).Distinct().ToList();

    /// <summary>Every fixed topic the topology writes (internal topics under their undecorated names).</summary>
    public IReadOnlyList<string> SinkTopics => Subtopologies.SelectMany(s => s.SinkTopics).Distinct().ToList();

    /// <summary>The sub-topologies with internal topics named as they are at run time for <paramref name="applicationId"/>.</summary>
    internal IReadOnlyList<Subtopology> SubtopologiesFor(string applicationId) => Builder.Subtopologies(applicationId);

    /// <summary>Every topic the topology reads when run as <paramref name="applicationId"/>.</summary>
    internal IReadOnlyList<string> SourceTopicsFor(string applicationId) =>
        SubtopologiesFor(applicationId).SelectMany(s => s.SourceTopics).Distinct().ToList();

    /// <summary>Repartition topics as named at run time, with the partition count asked for (null: as their upstream sources).</summary>
    public IReadOnlyDictionary<string, int?> RepartitionTopics(string applicationId) =>
        Builder.RepartitionTopics.ToDictionary(t => Builder.Decorate(t.Key, applicationId), t => t.Value);

    /// <summary>Changelog topics of logged stores for <paramref name="applicationId"/>, with the sub-topology each belongs to.</summary>
    public IReadOnlyDictionary<string, Subtopology> ChangelogTopics(string applicationId) =>
        SubtopologiesFor(applicationId).SelectMany(s => s.StoreNames.Where(n => Builder.StoreBuilders[n].LoggingEnabled)
                .Select(n => (Topic: ProcessorStateManager.ChangelogTopicFor(applicationId, n), Sub: s)))
            .ToDictionary(x => x.Topic, x => x.Sub);

    /// <summary>The structure of the topology (nodes, edges, topics, stores), as Kafka Streams' TopologyDescription.
    /// With <paramref name="applicationId"/>, internal topics (repartition, changelog) carry their run-time names.</summary>
    public TopologyDescription Description(string? applicationId = null) => TopologyDescription.Of(Builder, applicationId);

    /// <summary>A text description in Kafka Streams' format: sub-topologies, nodes, edges, topics and stores.</summary>
    public string Describe() => Description().ToString();

    /// <inheritdoc />
    public override string ToString() => Describe();
}
