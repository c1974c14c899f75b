using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Otto.Streams.Errors;
using Otto.Streams.Graph;

namespace Otto.Streams.Runtime;

/// <summary>Looks up and creates topics. Real clusters use <see cref="AdminTopicManager"/>; an embedded cluster
/// that does not serve CreateTopics plugs in its own creation.</summary>
public interface IInternalTopicManager
{
    /// <summary>Partition counts of those of <paramref name="topics"/> that exist.</summary>
    IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics);

    /// <summary>Creates topics with the given partition counts and topic configs.</summary>
    void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs);
}

/// <summary>Topic management through the Kafka AdminClient.</summary>
public sealed class AdminTopicManager(IAdminClient admin, short replicationFactor, TimeSpan timeout) : IInternalTopicManager
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics)
    {
        // Metadata for all topics: asking for a named topic may auto-create it on some brokers.
        var metadata = admin.GetMetadata(timeout);
        return metadata.Topics
            .Where(t => topics.Contains(t.Topic) && t.Error.Code == ErrorCode.NoError)
            .ToDictionary(t => t.Topic, t => t.Partitions.Count);
    }

    /// <inheritdoc />
    public void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs)
    {
        if (topics.Count == 0) return;
        var specs = topics.Select(t => new TopicSpecification
        {
            Name = t.Key,
            NumPartitions = t.Value,
            ReplicationFactor = replicationFactor,
            Configs = new Dictionary<string, string>(configs),
        });
        try
        {
            admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = timeout }).GetAwaiter().GetResult();
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Another instance created them first: fine.
        }
        catch (CreateTopicsException e)
        {
            throw new StreamsException("Could not create internal topics: " +
                string.Join("; ", e.Results.Where(r => r.Error.IsError).Select(r => $"{r.Topic}: {r.Error.Reason}")), e);
        }
        catch (KafkaException e)
        {
            throw new StreamsException($"Could not create internal topics {string.Join(", ", topics.Keys)} ({e.Error.Reason}). " +
                "Create them with these partition counts, or give the application the right to create topics.", e);
        }
    }
}

/// <summary>What <see cref="TopicValidator.Prepare"/> learnt: partitions of each global table's topic, and of
/// each sub-topology (its number of tasks).</summary>
internal sealed record PreparedTopics(IReadOnlyDictionary<string, int> GlobalPartitions, IReadOnlyDictionary<int, int> SubtopologyPartitions);

/// <summary>Checks source topics and co-partitioning, and creates missing repartition and changelog topics, before threads start.</summary>
internal static class TopicValidator
{
    /// <summary>Checks and creates topics; returns the partition counts of the global tables' topics and the
    /// task count (partitions) of each sub-topology.</summary>
    public static PreparedTopics Prepare(Topology topology, StreamConfig config, IInternalTopicManager topics)
    {
        var app = config.ApplicationId;
        var subtopologies = topology.SubtopologiesFor(app).Where(s => s.SourceTopics.Count > 0).ToList();
        var repartition = topology.RepartitionTopics(app);
        var changelogs = topology.ChangelogTopics(app);
        var external = subtopologies.SelectMany(s => s.SourceTopics).Where(t => !repartition.ContainsKey(t)).Distinct().ToList();
        var global = topology.Builder.GlobalTables.Select(g => g.Topic).ToList();
        var known = topics.GetPartitionCounts(external.Concat(global).Concat(repartition.Keys).Concat(changelogs.Keys).ToList());

        var missing = external.Concat(global).Where(t => !known.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            throw new StreamsException($"Source topic(s) missing: {string.Join(", ", missing)}. Create them before starting the application.");

        var counts = RepartitionPartitionCounts(subtopologies, repartition, external.ToDictionary(t => t, t => known[t]));
        var partitionsBySub = new Dictionary<int, int>();
        foreach (var sub in subtopologies)
        {
            var read = sub.SourceTopics.ToDictionary(t => t, t => counts[t]);
            if (read.Values.Distinct().Count() > 1)
                throw new TopologyException($"topics read together by sub-topology {sub.Id} must have the same number of partitions (co-partitioning), but " +
                    string.Join(", ", read.Select(c => $"{c.Key} has {c.Value}")));
            partitionsBySub[sub.Id] = read.Values.First();
        }

        CreateMissing(topics, known, repartition.Keys.ToDictionary(t => t, t => counts[t]), "Repartition", new Dictionary<string, string> { ["cleanup.policy"] = "delete" });
        CreateMissing(topics, known, changelogs.ToDictionary(c => c.Key, c => partitionsBySub[c.Value.Id]), "Changelog", new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        return new PreparedTopics(global.ToDictionary(t => t, t => known[t]), partitionsBySub);
    }

    /// <summary>Partition counts of every source topic, repartition topics included. A repartition topic has the count
    /// asked for; else, when read together with external topics, theirs (so the join is co-partitioned, as Kafka
    /// Streams does); else the largest count of the topics read by the sub-topologies that write it.</summary>
    private static Dictionary<string, int> RepartitionPartitionCounts(List<Subtopology> subtopologies, IReadOnlyDictionary<string, int?> repartition,
        Dictionary<string, int> counts)
    {
        foreach (var (topic, asked) in repartition)
            if (asked is { } n) counts[topic] = n;
        foreach (var sub in subtopologies)
        {
            var externals = sub.SourceTopics.Where(t => !repartition.ContainsKey(t)).Select(t => counts[t]).Distinct().ToList();
            if (externals.Count != 1) continue;
            foreach (var topic in sub.SourceTopics.Where(t => repartition.ContainsKey(t) && !counts.ContainsKey(t))) counts[topic] = externals[0];
        }
        bool progressed;
        do
        {
            progressed = false;
            foreach (var topic in repartition.Keys.Where(t => !counts.ContainsKey(t)))
            {
                var upstream = subtopologies.Where(s => s.SinkTopics.Contains(topic)).SelectMany(s => s.SourceTopics).ToList();
                if (upstream.Count == 0 || !upstream.All(counts.ContainsKey)) continue;
                counts[topic] = upstream.Max(t => counts[t]);
                progressed = true;
            }
        } while (progressed);
        var unresolved = repartition.Keys.Where(t => !counts.ContainsKey(t)).ToList();
        if (unresolved.Count > 0)
            throw new TopologyException($"cannot tell the partition count of repartition topic(s) {string.Join(", ", unresolved)}; set it with Repartitioned.WithNumberOfPartitions");
        return counts;
    }

    private static void CreateMissing(IInternalTopicManager topics, IReadOnlyDictionary<string, int> known, Dictionary<string, int> expected, string kind,
        IReadOnlyDictionary<string, string> configs)
    {
        var toCreate = new Dictionary<string, int>();
        foreach (var (topic, partitions) in expected)
        {
            if (!known.TryGetValue(topic, out var actual)) toCreate[topic] = partitions;
            else if (actual != partitions)
                throw new StreamsException($"{kind} topic {topic} has {actual} partitions but needs {partitions} (as the topics it is read with).");
        }
        topics.CreateTopics(toCreate, configs);
    }
}
