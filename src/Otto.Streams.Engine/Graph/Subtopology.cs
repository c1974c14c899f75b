namespace Otto.Streams.Graph;

/// <summary>A connected part of the topology (nodes joined by edges or shared stores). Each partition of its
/// source topics is one task.</summary>
public sealed record Subtopology(int Id, IReadOnlyList<string> NodeNames, IReadOnlyList<string> SourceTopics, IReadOnlyList<string> SinkTopics, IReadOnlyList<string> StoreNames);
