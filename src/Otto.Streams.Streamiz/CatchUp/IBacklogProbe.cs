using Confluent.Kafka;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>Finds where a task's input partitions stand (<see cref="PartitionBacklog"/>). Called from a task's
/// Init on the stream thread, so it must return at once and do its work in the background.</summary>
public interface IBacklogProbe
{
    /// <summary>Where each of <paramref name="partitions"/> stands now, in any order. Fails (or is cancelled) rather
    /// than guess: the caller then waits for its time bound.</summary>
    Task<IReadOnlyList<PartitionBacklog>> FindAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken);
}
