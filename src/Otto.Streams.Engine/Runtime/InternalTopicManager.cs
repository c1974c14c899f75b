using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Otto.Streams.Errors;

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

/// <summary>Checks source topics and co-partitioning, and creates missing changelog topics, before threads start.</summary>
internal static class TopicValidator
{
    public static void Prepare(Topology topology, StreamConfig config, IInternalTopicManager topics)
    {
        var changelogs = topology.ChangelogTopics(config.ApplicationId);
        var known = topics.GetPartitionCounts(topology.SourceTopics.Concat(changelogs.Keys).ToList());

        var missing = topology.SourceTopics.Where(t => !known.ContainsKey(t)).ToList();
        if (missing.Count > 0)
            throw new StreamsException($"Source topic(s) missing: {string.Join(", ", missing)}. Create them before starting the application.");

        var partitionsBySub = new Dictionary<int, int>();
        foreach (var sub in topology.Subtopologies.Where(s => s.SourceTopics.Count > 0))
        {
            var counts = sub.SourceTopics.ToDictionary(t => t, t => known[t]);
            if (counts.Values.Distinct().Count() > 1)
                throw new TopologyException($"topics read together by sub-topology {sub.Id} must have the same number of partitions (co-partitioning), but " +
                    string.Join(", ", counts.Select(c => $"{c.Key} has {c.Value}")));
            partitionsBySub[sub.Id] = counts.Values.First();
        }

        var toCreate = new Dictionary<string, int>();
        foreach (var (topic, sub) in changelogs)
        {
            var expected = partitionsBySub[sub.Id];
            if (!known.TryGetValue(topic, out var actual)) toCreate[topic] = expected;
            else if (actual != expected)
                throw new StreamsException($"Changelog topic {topic} has {actual} partitions but its sources have {expected}.");
        }
        topics.CreateTopics(toCreate, new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
    }
}
