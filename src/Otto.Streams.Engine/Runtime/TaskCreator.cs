using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;
using Otto.Streams.Graph;

namespace Otto.Streams.Runtime;

/// <summary>Maps partitions to tasks and makes tasks, for stream threads and the TopologyTestDriver alike.</summary>
internal sealed class TaskCreator(Topology topology, StreamConfig config, TimeProvider time, ILoggerFactory loggers,
    StateDirectory stateDirectory, Lazy<State.RocksDb.RocksDbMemory> memory, GlobalStateStores? globalStores = null)
{
    private readonly IReadOnlyList<Subtopology> _subtopologies = topology.SubtopologiesFor(config.ApplicationId);
    private readonly ILogger _logger = loggers.CreateLogger<StreamTask>();

    /// <summary>Groups partitions by the task that owns them: partition p of every topic of a sub-topology belongs to task (sub, p).</summary>
    public IEnumerable<IGrouping<TaskId, TopicPartition>> GroupByTask(IEnumerable<TopicPartition> partitions) =>
        partitions.GroupBy(tp => new TaskId(SubtopologyOf(tp.Topic).Id, tp.Partition.Value));

    public Subtopology SubtopologyOf(string topic) =>
        _subtopologies.FirstOrDefault(s => s.SourceTopics.Contains(topic))
        ?? throw new StreamsException($"Topic {topic} is not a source of this topology.");

    public StreamTask Create(TaskId id, IReadOnlyList<TopicPartition> partitions, RecordCollector collector) =>
        new(id, partitions, topology.Builder.Instantiate(_subtopologies[id.Subtopology], config), config, collector, time, _logger, stateDirectory, memory, globalStores);
}
