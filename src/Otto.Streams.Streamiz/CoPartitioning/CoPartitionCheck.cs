using Confluent.Kafka;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Streams.Streamiz.CoPartitioning;

/// <summary>
/// Checks, before a <c>KafkaStream</c> starts, that every sub-topology reads topics with one partition count.
/// </summary>
/// <remarks>
/// Streamiz makes one task per (sub-topology, partition number) and gives it partition p of every topic the
/// sub-topology reads. When a join or merge reads topics of 4 and 6 partitions, a key hashes to different partition
/// numbers in each, so the join silently misses; Streamiz 1.8 records the co-partition groups but never checks them
/// (Kafka Streams fails the rebalance instead). This check uses only public API: the sub-topologies' source nodes from
/// <see cref="Topology.Describe"/> and the cluster's metadata. Repartition topics are left out: Streamiz creates them
/// with the partition count of their upstream topics. Global tables are left out: they read every partition.
/// </remarks>
public static class CoPartitionCheck
{
    private const string RepartitionSuffix = "-repartition";

    /// <summary>
    /// Throws <see cref="CoPartitioningException"/> when a source topic of <paramref name="topology"/> does not exist, or
    /// when a sub-topology reads topics with different partition counts. The message names every offending topic with
    /// its partition count, one line per sub-topology.
    /// </summary>
    /// <param name="topology">The built topology (<c>StreamBuilder.Build()</c>), before <c>new KafkaStream</c>.</param>
    /// <param name="adminClient">Any admin client on the cluster; only its metadata request is used.</param>
    /// <param name="timeout">How long to wait for the metadata.</param>
    /// <exception cref="CoPartitioningException">A source topic is missing or partition counts differ.</exception>
    /// <exception cref="KafkaException">The cluster did not answer the metadata request.</exception>
    public static void Verify(Topology topology, IAdminClient adminClient, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(adminClient);

        // All topics in one request: asking for a topic by name lets a broker (and librdkafka's mock) auto-create it.
        var metadata = adminClient.GetMetadata(timeout);
        var partitionCounts = metadata.Topics
            .Where(t => t.Error.Code != ErrorCode.UnknownTopicOrPart && t.Partitions.Count > 0)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        Verify(SourceTopics(topology), partitionCounts);
    }

    /// <summary>The external topics each sub-topology reads, in sub-topology order (repartition topics left out).</summary>
    public static IReadOnlyList<SubTopologySources> SourceTopics(Topology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var description = topology.Describe();

        // A repartition topic is one the topology writes itself; its name alone could be a user's topic.
        var written = description.SubTopologies
            .SelectMany(s => s.Nodes.OfType<ISinkNodeDescription>())
            .Select(sink => sink.Topic)
            .Where(topic => topic is not null)
            .ToHashSet(StringComparer.Ordinal);

        return description.SubTopologies
            .OrderBy(s => s.Id)
            .Select(s => new SubTopologySources(
                s.Id,
                s.Nodes.OfType<ISourceNodeDescription>()
                    .SelectMany(source => source.Topics)
                    .Where(topic => !(topic.EndsWith(RepartitionSuffix, StringComparison.Ordinal) && written.Contains(topic)))
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToList()))
            .ToList();
    }

    /// <summary>The same check against known partition counts (topic name to count; absent means missing).</summary>
    internal static void Verify(IReadOnlyList<SubTopologySources> subTopologies, IReadOnlyDictionary<string, int> partitionCounts)
    {
        var missing = subTopologies
            .Select(s => (s.SubTopologyId, Topics: s.Topics.Where(t => !partitionCounts.ContainsKey(t)).ToList()))
            .Where(s => s.Topics.Count > 0)
            .Select(s => $"topics read by sub-topology {s.SubTopologyId} do not exist on the cluster: {string.Join(", ", s.Topics)}")
            .ToList();
        if (missing.Count > 0)
        {
            // Counts cannot be compared without them; create them (with the same partition count) before starting.
            throw new CoPartitioningException(string.Join("\n", missing));
        }

        var mismatched = subTopologies
            .Where(s => s.Topics.Select(t => partitionCounts[t]).Distinct().Count() > 1)
            .Select(s => $"topics read by sub-topology {s.SubTopologyId} must have the same partition count: " +
                string.Join(", ", s.Topics.Select(t => $"{t}={partitionCounts[t]}")))
            .ToList();
        if (mismatched.Count > 0)
        {
            throw new CoPartitioningException(string.Join("\n", mismatched));
        }
    }
}
