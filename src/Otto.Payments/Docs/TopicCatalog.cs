using Otto.Streams;
using Otto.Streams.Description;
using static Otto.Payments.Docs.MarkdownTable;

namespace Otto.Payments.Docs;

/// <summary>
/// The topic catalog: every topic of <see cref="PaymentTopics.Catalog"/> with who writes and reads it, then Otto's
/// internal repartition and changelog topics as the topology names them. Otto's own readers and writers come from
/// the topology's source and sink nodes, so the catalog cannot claim a wiring the code does not have.
/// </summary>
public static class TopicCatalog
{
    /// <summary>The catalog as a markdown table: <paramref name="topics"/> in their order, then the internal topics of
    /// <paramref name="topology"/> run as <paramref name="applicationId"/>. Throws when the topology reads or writes a
    /// topic that <paramref name="topics"/> does not list. Every topic shows <paramref name="partitions"/> partitions,
    /// except a repartition topic whose count the topology sets.</summary>
    public static string Render(IEnumerable<TopicSpec> topics, Topology topology, string applicationId, int partitions)
    {
        var catalog = topics.ToList();
        var description = topology.Description(applicationId);
        var nodes = description.Subtopologies.SelectMany(s => s.Nodes.Select(n => (Sub: s.Id, Node: n))).ToList();
        var internalTopics = description.RepartitionTopics.Concat(description.Stores.Select(s => s.ChangelogTopic).OfType<string>()).ToHashSet();
        var known = catalog.Select(t => t.Name).ToHashSet();
        var missing = nodes.SelectMany(x => x.Node.Topics).Concat(description.GlobalStores.Select(g => g.Topic))
            .Where(t => !known.Contains(t) && !internalTopics.Contains(t)).Distinct().ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"the topology uses topics missing from PaymentTopics.Catalog: {string.Join(", ", missing)}");

        // Otto's sinks writing the topic, in place of a catalog entry that just says "Otto".
        string Producer(string topic, string producer)
        {
            var sinks = nodes.Where(x => x.Node.Type == NodeType.Sink && x.Node.Topics.Contains(topic))
                .Select(x => $"Otto sub-topology {x.Sub}: {Code(x.Node.Name)}").ToList();
            return sinks.Count == 0 ? producer : string.Join("<br>", producer == "Otto" ? sinks : sinks.Prepend(producer));
        }

        IEnumerable<string> Readers(string topic) =>
            nodes.Where(x => x.Node.Type == NodeType.Source && x.Node.Topics.Contains(topic))
                .Select(x => $"Otto sub-topology {x.Sub}: {Code(x.Node.Name)} → {string.Join(", ", x.Node.Successors.Select(Code))}")
                .Concat(description.GlobalStores.Where(g => g.Topic == topic)
                    .Select(g => $"Otto, every instance: global store {Code(g.StoreName)}"));

        var repartitionCounts = topology.RepartitionTopics(applicationId);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var topic in catalog)
        {
            var readers = Readers(topic.Name).ToList();
            if (topic.Consumers is { } external) readers.Add(external);
            rows.Add([Code(topic.Name), topic.Key, Schema(topic.ValueSchema), Producer(topic.Name, topic.Producer),
                readers.Count == 0 ? "none" : string.Join("<br>", readers), partitions.ToString(), topic.Purpose]);
        }
        foreach (var topic in description.RepartitionTopics)
            rows.Add([Code(topic), "the new key", "the stream's value", Producer(topic, "Otto"), string.Join("<br>", Readers(topic)),
                (repartitionCounts.GetValueOrDefault(topic) ?? partitions).ToString(), "Repartition topic: records re-keyed before a stateful step."]);
        foreach (var store in description.Stores.Where(s => s.ChangelogTopic is not null))
        {
            var sub = description.Subtopologies.First(s => s.Nodes.Any(n => n.Stores.Contains(store.Name))).Id;
            rows.Add([Code(store.ChangelogTopic!), $"store {Code(store.Name)}'s key", $"store {Code(store.Name)}'s value",
                $"Otto sub-topology {sub}: store {Code(store.Name)}", $"Otto sub-topology {sub}: restores store {Code(store.Name)}",
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
