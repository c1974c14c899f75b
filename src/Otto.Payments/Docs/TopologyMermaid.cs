using System.Text;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Docs;

/// <summary>
/// Draws a Streamiz <see cref="ITopologyDescription"/> as a Mermaid flowchart (GitHub renders it in a ```mermaid
/// block): one subgraph per sub-topology and per global store; sources and sinks as stadiums, processors as
/// rectangles, stores as cylinders attached to the processors that use them, topics as parallelograms outside the
/// subgraphs (so an edge through a topic shows how sub-topologies feed each other), with their run-time names
/// (<see cref="InternalTopics"/>), repartition and changelog topics marked.
/// </summary>
public static class TopologyMermaid
{
    /// <summary>What the shapes and lines of <see cref="Render"/> mean, as a markdown paragraph to put under the diagram.</summary>
    public const string Legend =
        "Green stadium: source node; rectangle: processor; red stadium: sink; parallelogram: topic (grey, dashed: an internal " +
        "repartition or changelog topic); blue cylinder: state store, joined by a dotted line to the processors that use it and " +
        "by a dotted arrow to its changelog; purple cylinder: a global store, held whole by every instance (Streamiz's " +
        "description does not say which joins look it up). Each box is a sub-topology: each partition of its source topics " +
        "is one task.";

    /// <summary>The flowchart of <paramref name="topology"/> run as <paramref name="applicationId"/>, without the
    /// surrounding code fence. Mermaid ids are generated (n0, t0, s0, ...) so any node, topic or store name is safe;
    /// names appear only in escaped labels.</summary>
    public static string Render(ITopologyDescription topology, string applicationId)
    {
        var ids = new Ids();
        var internalTopics = new InternalTopics(topology, applicationId);
        var subtopologies = topology.SubTopologies.OrderBy(s => s.Id).ToList();
        var globals = topology.GlobalStores.OrderBy(g => g.Id).ToList();
        var text = new StringBuilder("flowchart TB\n");

        // Topics first, at the top level: a node first named inside a subgraph would belong to it.
        IEnumerable<string> TopicsOf(INodeDescription node) => node switch
        {
            ISourceNodeDescription source => source.Topics,
            ISinkNodeDescription { Topic: { } topic } => [topic],
            _ => [],
        };
        var topics = subtopologies.SelectMany(s => s.Nodes).SelectMany(TopicsOf).Select(internalTopics.RunTimeName)
            .Concat(globals.SelectMany(g => g.Source.Topics)).Concat(internalTopics.Changelogs.Values).Distinct().ToList();
        foreach (var topic in topics)
        {
            var (label, cls) = internalTopics.IsRepartition(topic) ? ($"{Escape(topic)}<br/>repartition", "internal")
                : internalTopics.IsChangelog(topic) ? ($"{Escape(topic)}<br/>changelog", "internal")
                : (Escape(topic), "topic");
            text.Append($"    {ids.Topic(topic)}[/\"{label}\"/]:::{cls}\n");
        }

        // Node ids in the order nodes are listed, not in the order edges first name them.
        foreach (var node in subtopologies.SelectMany(s => s.Nodes)) ids.Node(node.Name);

        var edges = new StringBuilder();
        foreach (var sub in subtopologies)
        {
            text.Append($"    subgraph sub{sub.Id}[\"Sub-topology {sub.Id}\"]\n");
            foreach (var node in sub.Nodes)
            {
                var id = ids.Node(node.Name);
                text.Append(node switch
                {
                    ISourceNodeDescription => $"        {id}([\"{Escape(node.Name)}\"]):::source\n",
                    ISinkNodeDescription => $"        {id}([\"{Escape(node.Name)}\"]):::sink\n",
                    _ => $"        {id}[\"{Escape(node.Name)}\"]:::processor\n",
                });
                if (node is ISourceNodeDescription source)
                    foreach (var topic in source.Topics) edges.Append($"    {ids.Topic(internalTopics.RunTimeName(topic))} --> {id}\n");
                foreach (var successor in node.Next) edges.Append($"    {id} --> {ids.Node(successor.Name)}\n");
                if (node is ISinkNodeDescription sink)
                {
                    if (sink.Topic is null)
                    {
                        var any = ids.Next("t");
                        text.Append($"        {any}[/\"topic chosen per record\"/]:::topic\n");
                        edges.Append($"    {id} --> {any}\n");
                    }
                    else edges.Append($"    {id} --> {ids.Topic(internalTopics.RunTimeName(sink.Topic))}\n");
                }
                if (node is IProcessorNodeDescription processor)
                    foreach (var store in processor.Stores) edges.Append($"    {id} -.- {ids.Store(store)}\n");
            }
            foreach (var store in sub.Nodes.OfType<IProcessorNodeDescription>().SelectMany(n => n.Stores).Distinct())
            {
                text.Append($"        {ids.Store(store)}[(\"{Escape(store)}\")]:::store\n");
                if (internalTopics.Changelogs.TryGetValue(store, out var changelog)) edges.Append($"    {ids.Store(store)} -.-> {ids.Topic(changelog)}\n");
            }
            text.Append("    end\n");
        }

        foreach (var global in globals)
        {
            var storeName = global.Processor.Stores.Single();
            var (source, processor, store) = (ids.Node(global.Source.Name), ids.Node(global.Processor.Name), ids.Store(storeName));
            text.Append($"    subgraph sub{global.Id}[\"Global store {Escape(storeName)} (every instance)\"]\n");
            text.Append($"        {source}([\"{Escape(global.Source.Name)}\"]):::source\n");
            text.Append($"        {processor}[\"{Escape(global.Processor.Name)}\"]:::processor\n");
            text.Append($"        {store}[(\"{Escape(storeName)}\")]:::global\n");
            text.Append("    end\n");
            foreach (var topic in global.Source.Topics) edges.Append($"    {ids.Topic(topic)} --> {source}\n");
            edges.Append($"    {source} --> {processor}\n    {processor} -.- {store}\n");
        }

        return text.Append(edges)
            .Append("    classDef topic fill:#fff4d6,stroke:#b7791f,color:#222\n")
            .Append("    classDef internal fill:#eeeeee,stroke:#777777,stroke-dasharray:4 3,color:#222\n")
            .Append("    classDef source fill:#dff5e3,stroke:#2f855a,color:#222\n")
            .Append("    classDef processor fill:#ffffff,stroke:#4a5568,color:#222\n")
            .Append("    classDef sink fill:#fde2e2,stroke:#c53030,color:#222\n")
            .Append("    classDef store fill:#e0ecff,stroke:#2b6cb0,color:#222\n")
            .Append("    classDef global fill:#efe3ff,stroke:#6b46c1,color:#222\n")
            .ToString();
    }

    /// <summary>A label's text inside double quotes: Mermaid's entity codes (#34; for a quote) for the characters that
    /// could end the label, start an entity, be read as HTML, open a markdown string or break the line.</summary>
    public static string Escape(string label)
    {
        var text = new StringBuilder(label.Length);
        foreach (var c in label)
        {
            if (c is '"' or '#' or '&' or '<' or '>' or '`' || char.IsControl(c))
                text.Append('#').Append((int)c).Append(';');
            else text.Append(c);
        }
        return text.ToString();
    }

    /// <summary>Mermaid ids by name and kind, in order of first use, so the output is stable.</summary>
    private sealed class Ids
    {
        private readonly Dictionary<(char Kind, string Name), string> _ids = [];
        private readonly Dictionary<char, int> _next = [];

        public string Node(string name) => Get('n', name);
        public string Topic(string name) => Get('t', name);
        public string Store(string name) => Get('s', name);

        public string Next(string kind)
        {
            var n = _next.GetValueOrDefault(kind[0]);
            _next[kind[0]] = n + 1;
            return $"{kind}{n}";
        }

        private string Get(char kind, string name)
        {
            if (!_ids.TryGetValue((kind, name), out var id)) _ids[(kind, name)] = id = Next(kind.ToString());
            return id;
        }
    }
}
