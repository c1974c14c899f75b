using System.Text;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Docs;

/// <summary>
/// A Streamiz <see cref="ITopologyDescription"/> in Kafka Streams' text format, sub-topologies and global stores by
/// id. Not Streamiz's own ToString: 1.8.2 prints them from the highest id down. Topic names are as described (a
/// repartition topic without the application id), as Kafka Streams prints them.
/// </summary>
public static class TopologyText
{
    /// <summary>The text, one line per node and per edge list, "\n" line ends.</summary>
    public static string Render(ITopologyDescription description)
    {
        var text = new StringBuilder("Topologies:\n");
        var parts = description.SubTopologies.Select(s => (s.Id, Global: (IGlobalStoreDescription?)null, Nodes: s.Nodes))
            .Concat(description.GlobalStores.Select(g => (g.Id, Global: (IGlobalStoreDescription?)g, Nodes: (IEnumerable<INodeDescription>)[g.Source, g.Processor])))
            .OrderBy(p => p.Id);
        foreach (var (id, global, nodes) in parts)
        {
            text.Append($"   Sub-topology: {id}{(global is null ? "" : " for global store (will not generate tasks)")}\n");
            foreach (var node in nodes)
            {
                text.Append(node switch
                {
                    ISourceNodeDescription source => $"    Source: {source.Name} (topics: [{string.Join(", ", source.Topics)}])\n",
                    ISinkNodeDescription sink => $"    Sink: {sink.Name} (topic: {sink.Topic ?? "chosen per record"})\n",
                    IProcessorNodeDescription processor => $"    Processor: {processor.Name} (stores: [{string.Join(", ", processor.Stores)}])\n",
                    _ => $"    Node: {node.Name}\n",
                });
                if (node is not ISinkNodeDescription) text.Append($"      --> {Names(node.Next)}\n");
                if (node is not ISourceNodeDescription) text.Append($"      <-- {Names(node.Previous)}\n");
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Names(IEnumerable<INodeDescription> nodes) =>
        nodes.Any() ? string.Join(", ", nodes.Select(n => n.Name)) : "none";
}
