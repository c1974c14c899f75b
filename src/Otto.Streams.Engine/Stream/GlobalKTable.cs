using Otto.Streams.Processors.Table;

namespace Otto.Streams.Stream;

/// <summary>A table replicated whole on every instance (Kafka Streams' GlobalKTable), for reference data that
/// streams look up by a key they compute.</summary>
public interface IGlobalKTable<K, V>
{
    /// <summary>The name of its store, for queries.</summary>
    string QueryableStoreName { get; }
}

internal sealed class GlobalKTable<K, V>(string storeName) : IGlobalKTable<K, V>
{
    public string QueryableStoreName { get; } = storeName;

    internal TableValueGetter ValueGetter { get; } = TableValueGetter.FromStore(storeName);
}
