using Otto.Streams.Processors;

namespace Otto.Streams.Graph;

/// <summary>What a node is in the topology graph, and how to make a fresh instance of it for each task.</summary>
internal sealed record NodeFactory(string Name, NodeKind Kind, IReadOnlyList<string> Predecessors, Func<StreamConfig, ProcessorNode> Create)
{
    /// <summary>For sources: the topics read.</summary>
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>For sinks with a fixed topic: that topic.</summary>
    public string? SinkTopic { get; init; }

    /// <summary>Stores the node reads or writes.</summary>
    public List<string> StoreNames { get; } = [];

    /// <summary>Global stores the node looks up (not part of its task).</summary>
    public List<string> GlobalStoreNames { get; } = [];
}

/// <summary>The three kinds of node in a Kafka Streams topology.</summary>
internal enum NodeKind { Source, Processor, Sink }
