using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Runtime;

namespace Otto.Streams.Worker.Embedded;

/// <summary>Topic management on the embedded cluster: lookups through the AdminClient (metadata works), creation
/// through the mock cluster's own call, since the mock does not serve CreateTopics.</summary>
public sealed class EmbeddedTopicManager(EmbeddedKafkaCluster cluster, IInternalTopicManager lookup) : IInternalTopicManager
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics) => lookup.GetPartitionCounts(topics);

    /// <inheritdoc />
    public void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs)
    {
        // The mock keeps no topic configs (no compaction either): changelogs there keep every record.
        foreach (var (name, partitions) in topics) cluster.CreateTopic(name, partitions);
    }
}
