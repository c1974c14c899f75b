using System.Text;
using Otto.Streams.Graph;
using Otto.Streams.Runtime;

namespace Otto.Streams.Description;

/// <summary>
/// The structure of a <see cref="Topology"/>, as Kafka Streams' TopologyDescription: sub-topologies with their nodes
/// and edges, the stores and their changelogs, the internal topics and the global stores. <see cref="ToString"/>
/// is the text of <see cref="Topology.Describe"/>; <see cref="TopologyMermaid"/> draws it.
/// </summary>
/// <param name="Subtopologies">The sub-topologies, numbered as their tasks are.</param>
/// <param name="GlobalStores">Global tables, read whole by every instance outside of tasks.</param>
/// <param name="Stores">The stores of the sub-topologies (not the global ones), in the order nodes first use them.</param>
/// <param name="RepartitionTopics">The internal repartition topics, named as the nodes name them.</param>
public sealed record TopologyDescription(
    IReadOnlyList<SubtopologyDescription> Subtopologies,
    IReadOnlyList<GlobalStoreDescription> GlobalStores,
    IReadOnlyList<StoreDescription> Stores,
    IReadOnlyList<string> RepartitionTopics)
{
    /// <summary>Describes the graph of <paramref name="builder"/>; with an application id, internal topics carry their run-time names.</summary>
    internal static TopologyDescription Of(InternalTopologyBuilder builder, string? applicationId)
    {
        var subtopologies = builder.Subtopologies(applicationId).Select(sub =>
        {
            var factories = builder.Nodes.Where(n => sub.NodeNames.Contains(n.Name)).ToList();
            return new SubtopologyDescription(sub.Id, factories.Select(n => new NodeDescription(
                n.Name,
                n.Kind switch { NodeKind.Source => NodeType.Source, NodeKind.Sink => NodeType.Sink, _ => NodeType.Processor },
                n.Kind == NodeKind.Sink
                    ? n.SinkTopic is null ? [] : [builder.Decorate(n.SinkTopic, applicationId)]
                    : n.Topics.Select(t => builder.Decorate(t, applicationId)).ToList(),
                [.. n.StoreNames],
                [.. n.GlobalStoreNames],
                n.Predecessors,
                factories.Where(c => c.Predecessors.Contains(n.Name)).Select(c => c.Name).ToList())).ToList());
        }).ToList();

        var stores = subtopologies.SelectMany(s => s.Nodes).SelectMany(n => n.Stores).Distinct()
            .Select(name => new StoreDescription(name, builder.StoreBuilders[name].LoggingEnabled
                ? applicationId is null ? $"{name}-changelog" : ProcessorStateManager.ChangelogTopicFor(applicationId, name)
                : null))
            .ToList();

        var globals = builder.GlobalTables
            .Select((g, i) => new GlobalStoreDescription(subtopologies.Count + i, g.SourceName, g.ProcessorName, g.Topic, g.StoreName))
            .ToList();

        return new TopologyDescription(subtopologies, globals, stores,
            builder.RepartitionTopics.Keys.Select(t => builder.Decorate(t, applicationId)).ToList());
    }

    /// <summary>The description in Kafka Streams' text format: sub-topologies, nodes, edges, topics and stores.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Topologies:\n");
        foreach (var sub in Subtopologies)
        {
            text.Append($"   Sub-topology: {sub.Id}\n");
            foreach (var node in sub.Nodes)
            {
                text.Append(node.Type switch
                {
                    NodeType.Source => $"    Source: {node.Name} (topics: [{string.Join(", ", node.Topics)}])\n",
                    NodeType.Sink => $"    Sink: {node.Name} (topic: {node.Topics.FirstOrDefault() ?? "<chosen per record>"})\n",
                    _ => $"    Processor: {node.Name} (stores: [{string.Join(", ", node.Stores)}])\n",
                });
                if (node.Successors.Count > 0) text.Append($"      --> {string.Join(", ", node.Successors)}\n");
                if (node.Predecessors.Count > 0) text.Append($"      <-- {string.Join(", ", node.Predecessors)}\n");
            }
            text.Append('\n');
        }
        foreach (var global in GlobalStores)
        {
            text.Append($"   Sub-topology: {global.Id} for global store (will not generate tasks)\n");
            text.Append($"    Source: {global.SourceName} (topics: [{global.Topic}])\n      --> {global.ProcessorName}\n");
            text.Append($"    Processor: {global.ProcessorName} (stores: [{global.StoreName}])\n      <-- {global.SourceName}\n\n");
        }
        return text.ToString();
    }
}

/// <summary>One sub-topology: its nodes in the order they were added.</summary>
/// <param name="Id">The sub-topology's number (the first half of its task ids).</param>
/// <param name="Nodes">Its nodes.</param>
public sealed record SubtopologyDescription(int Id, IReadOnlyList<NodeDescription> Nodes);

/// <summary>A node of a sub-topology.</summary>
/// <param name="Name">The node's unique name.</param>
/// <param name="Type">Source, processor or sink.</param>
/// <param name="Topics">A source's topics; a sink's fixed topic (none when the topic is chosen per record).</param>
/// <param name="Stores">The stores of its sub-topology the node reads or writes.</param>
/// <param name="GlobalStores">The global stores the node looks up (a join with a global table).</param>
/// <param name="Predecessors">The nodes feeding it.</param>
/// <param name="Successors">The nodes it forwards to.</param>
public sealed record NodeDescription(
    string Name,
    NodeType Type,
    IReadOnlyList<string> Topics,
    IReadOnlyList<string> Stores,
    IReadOnlyList<string> GlobalStores,
    IReadOnlyList<string> Predecessors,
    IReadOnlyList<string> Successors);

/// <summary>The three kinds of node in a Kafka Streams topology.</summary>
public enum NodeType
{
    /// <summary>Reads topics.</summary>
    Source,

    /// <summary>Transforms, joins, aggregates; may use stores.</summary>
    Processor,

    /// <summary>Writes a topic.</summary>
    Sink,
}

/// <summary>A store of a sub-topology.</summary>
/// <param name="Name">The store's name.</param>
/// <param name="ChangelogTopic">Its changelog topic, or null when logging is off.</param>
public sealed record StoreDescription(string Name, string? ChangelogTopic);

/// <summary>A global table: <paramref name="SourceName"/> reads all of <paramref name="Topic"/> and
/// <paramref name="ProcessorName"/> puts it in <paramref name="StoreName"/> on every instance (the topic is its changelog).</summary>
/// <param name="Id">Numbered after the sub-topologies, as Kafka Streams does.</param>
/// <param name="SourceName">The source node.</param>
/// <param name="ProcessorName">The processor that writes the store.</param>
/// <param name="Topic">The topic read.</param>
/// <param name="StoreName">The global store.</param>
public sealed record GlobalStoreDescription(int Id, string SourceName, string ProcessorName, string Topic, string StoreName);
