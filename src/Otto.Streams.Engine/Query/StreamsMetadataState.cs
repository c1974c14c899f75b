using Confluent.Kafka;
using Otto.Streams.Graph;

namespace Otto.Streams.Query;

/// <summary>
/// Answers "which instance holds what" from the topology (which sub-topology, and so which source topics and
/// tasks, a store belongs to), this instance's own assignment (always current) and the other instances' published
/// entries (see <see cref="InstanceDirectory"/>).
/// </summary>
internal sealed class StreamsMetadataState(IReadOnlyList<Subtopology> subtopologies, HostInfo localHost, string processId)
{
    private readonly Dictionary<string, Subtopology> _subtopologyOfStore =
        subtopologies.SelectMany(s => s.StoreNames.Select(n => (n, s))).ToDictionary(x => x.n, x => x.s);
    private IReadOnlyDictionary<int, int>? _partitions;

    /// <summary>Learnt at start: the number of partitions (tasks) of each sub-topology.</summary>
    public void SetPartitions(IReadOnlyDictionary<int, int> partitionsBySubtopology) => _partitions = partitionsBySubtopology;

    public bool HasStore(string storeName) => _subtopologyOfStore.ContainsKey(storeName);

    public IReadOnlyCollection<string> StoreNames => _subtopologyOfStore.Keys;

    /// <summary>Every instance known: this one first, then the others by host.</summary>
    public IReadOnlyList<StreamsMetadata> All(IReadOnlyList<TopicPartition> localAssignment, IEnumerable<InstanceEntry> others, DateTimeOffset now) =>
        others.OrderBy(e => e.Host.ToString(), StringComparer.Ordinal)
            .Select(e => Metadata(e.Host, e.ProcessId, e.Partitions, isLocal: false, e.PublishedAt))
            .Prepend(Metadata(localHost, processId, localAssignment, isLocal: true, now))
            .ToList();

    private StreamsMetadata Metadata(HostInfo host, string id, IReadOnlyList<TopicPartition> partitions, bool isLocal, DateTimeOffset at)
    {
        var topics = partitions.Select(p => p.Topic).ToHashSet();
        var stores = subtopologies.Where(s => s.SourceTopics.Any(topics.Contains)).SelectMany(s => s.StoreNames).ToHashSet();
        return new StreamsMetadata(host, id, stores, partitions, isLocal, at);
    }

    /// <summary>The instance holding the partition that <paramref name="serializeKey"/>'s bytes fall into.</summary>
    /// <param name="storeName">A store of the topology.</param>
    /// <param name="serializeKey">Serializes the key in the context of the given source topic.</param>
    /// <param name="partitioner">How the source topics' producers partition keys.</param>
    /// <param name="all">From <see cref="All"/>: this instance first.</param>
    public KeyQueryMetadata ForKey(string storeName, Func<string, byte[]> serializeKey, Partitioner partitioner, IReadOnlyList<StreamsMetadata> all)
    {
        var sub = _subtopologyOfStore[storeName];
        var count = _partitions?.GetValueOrDefault(sub.Id)
            ?? throw new InvalidOperationException("The stream has not started: partition counts are not known yet.");
        var partition = KeyPartitioner.PartitionFor(partitioner, serializeKey(sub.SourceTopics[0]), count);
        bool Holds(StreamsMetadata m) => m.TopicPartitions.Any(tp => tp.Partition.Value == partition && sub.SourceTopics.Contains(tp.Topic));
        if (Holds(all[0])) return new KeyQueryMetadata(all[0].HostInfo, partition, IsLocal: true);
        // Two stale entries may claim the partition during a rebalance: the newer one is likelier right.
        var owner = all.Skip(1).Where(Holds).MaxBy(m => m.PublishedAt);
        return new KeyQueryMetadata(owner?.HostInfo ?? HostInfo.Unavailable, partition, IsLocal: false);
    }
}
