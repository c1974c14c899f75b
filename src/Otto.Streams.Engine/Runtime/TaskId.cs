namespace Otto.Streams.Runtime;

/// <summary>A task: one partition of one sub-topology, written "subtopology_partition" as in Kafka Streams.</summary>
public readonly record struct TaskId(int Subtopology, int Partition)
{
    /// <inheritdoc />
    public override string ToString() => $"{Subtopology}_{Partition}";
}
