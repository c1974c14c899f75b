using Streamiz.Kafka.Net.Stream;
using static Otto.Payments.Docs.MarkdownTable;

namespace Otto.Payments.Docs;

/// <summary>
/// The topic catalog: every topic of <see cref="PaymentTopics.Catalog"/> with who writes and reads it, then Otto's
/// internal repartition and changelog topics as Streamiz names them at run time (<see cref="InternalTopics"/>). Otto's
/// own readers and writers come from the source and sink nodes of Streamiz's <see cref="Topology.Describe"/>, so the
/// catalog cannot claim a wiring the code does not have.
/// </summary>
public static class TopicCatalog
{
    /// <summary>The catalog as a markdown table: <paramref name="topics"/> in their order, then the internal topics of
    /// <paramref name="topology"/> run as <paramref name="applicationId"/>. Throws when the topology reads or writes a
    /// topic that <paramref name="topics"/> does not list. Every topic shows <paramref name="partitions"/> partitions
    /// (Streamiz's description does not carry a repartition topic's own count).</summary>
    public static string Render(IEnumerable<TopicSpec> topics, Topology topology, string applicationId, int partitions)
    {
        var catalog = topics.ToList();
        var description = topology.Describe();
        var internalTopics = new InternalTopics(description, applicationId);
        var nodes = description.SubTopologies.OrderBy(s => s.Id).SelectMany(s => s.Nodes.Select(n => (Sub: s.Id, Node: n))).ToList();
        var globals = description.GlobalStores.OrderBy(g => g.Id).ToList();
        string[] TopicsOf(INodeDescription node) => node switch
        {
            ISourceNodeDescription source => [.. source.Topics.Select(internalTopics.RunTimeName)],
            ISinkNodeDescription { Topic: { } topic } => [internalTopics.RunTimeName(topic)],
            _ => [],
        };
        var known = catalog.Select(t => t.Name).ToHashSet();
        var missing = nodes.SelectMany(x => TopicsOf(x.Node)).Concat(globals.SelectMany(g => g.Source.Topics))
            .Where(t => !known.Contains(t) && !internalTopics.IsRepartition(t)).Distinct().ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"the topology uses topics missing from PaymentTopics.Catalog: {string.Join(", ", missing)}");

        // Otto's sinks writing the topic, in place of a catalog entry that just says "Otto".
        string Producer(string topic, string producer)
        {
            var sinks = nodes.Where(x => x.Node is ISinkNodeDescription && TopicsOf(x.Node).Contains(topic))
                .Select(x => $"Otto sub-topology {x.Sub}: {Code(x.Node.Name)}").ToList();
            return sinks.Count == 0 ? producer : string.Join("<br>", producer == "Otto" ? sinks : sinks.Prepend(producer));
        }

        // Otto's sources reading the topic and the global stores loaded from it.
        IEnumerable<string> Readers(string topic) =>
            nodes.Where(x => x.Node is ISourceNodeDescription && TopicsOf(x.Node).Contains(topic))
                .Select(x => $"Otto sub-topology {x.Sub}: {Code(x.Node.Name)} → {string.Join(", ", x.Node.Next.Select(n => Code(n.Name)))}")
                .Concat(globals.Where(g => g.Source.Topics.Contains(topic))
                    .Select(g => $"Otto, every instance: global store {Code(g.Processor.Stores.Single())}"));

        var rows = new List<IReadOnlyList<string>>();
        foreach (var topic in catalog)
        {
            var readers = Readers(topic.Name).ToList();
            if (topic.Consumers is { } external) readers.Add(external);
            rows.Add([Code(topic.Name), topic.Key, Schema(topic.ValueSchema), Producer(topic.Name, topic.Producer),
                readers.Count == 0 ? "none" : string.Join("<br>", readers), partitions.ToString(), topic.Purpose]);
        }
        foreach (var topic in internalTopics.Repartition.Select(internalTopics.RunTimeName))
            rows.Add([Code(topic), "the new key", "the stream's value", Producer(topic, "Otto"), string.Join("<br>", Readers(topic)),
                partitions.ToString(), "Repartition topic: records re-keyed before a stateful step."]);
        foreach (var (store, changelog) in internalTopics.Changelogs)
        {
            var sub = nodes.First(x => x.Node is IProcessorNodeDescription p && p.Stores.Contains(store)).Sub;
            rows.Add([Code(changelog), $"store {Code(store)}'s key", $"store {Code(store)}'s value",
                $"Otto sub-topology {sub}: store {Code(store)}", $"Otto sub-topology {sub}: restores store {Code(store)}",
                partitions.ToString(), "Changelog topic (compacted): the store's every write, replayed to rebuild it on another instance."]);
        }

        return MarkdownTable.Render(["topic", "key", "value schema", "producer", "consumers", "partitions", "purpose"], rows);
    }

    // A record's file in schemas/ is named after the record (checked by TopologyDocsTests: every link resolves).
    private static string Schema(string fullName)
    {
        if (fullName == "bytes") return "bytes (the record as read)";
        var name = fullName[(fullName.LastIndexOf('.') + 1)..];
        return $"[{name}](../schemas/{name}.avsc)";
    }
}
