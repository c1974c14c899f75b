namespace Otto.Streams.Stream;

/// <summary>A stream grouped by key, ready for an aggregation (Kafka Streams' KGroupedStream). Records with a null
/// key or value are skipped (and counted as dropped).</summary>
public interface IKGroupedStream<K, V>
{
    /// <summary>Counts the records per key.</summary>
    IKTable<K, long> Count(Materialized<K, long>? materialized = null, string? named = null);

    /// <summary>Combines the values per key; the first value is the first aggregate.</summary>
    IKTable<K, V> Reduce(Func<V, V, V> reducer, Materialized<K, V>? materialized = null, string? named = null);

    /// <summary>Folds the values per key into an aggregate seeded by <paramref name="initializer"/>.</summary>
    IKTable<K, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> aggregator, Materialized<K, VR>? materialized = null, string? named = null);

    /// <summary>Aggregates per time window (tumbling or hopping) instead of over all time.</summary>
    ITimeWindowedKStream<K, V> WindowedBy(TimeWindows windows);
}

/// <summary>A table re-grouped by a new key (Kafka Streams' KGroupedTable): a row's old value is subtracted from the
/// aggregate of its old group and its new value added to that of its new group.</summary>
public interface IKGroupedTable<K, V>
{
    /// <summary>Counts the rows per key.</summary>
    IKTable<K, long> Count(Materialized<K, long>? materialized = null, string? named = null);

    /// <summary>Combines the values per key with <paramref name="adder"/> and takes replaced ones out with <paramref name="subtractor"/>.</summary>
    IKTable<K, V> Reduce(Func<V, V, V> adder, Func<V, V, V> subtractor, Materialized<K, V>? materialized = null, string? named = null);

    /// <summary>Folds the values per key into an aggregate, adding new values and subtracting replaced ones.</summary>
    IKTable<K, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> adder, Func<K, V, VR, VR> subtractor,
        Materialized<K, VR>? materialized = null, string? named = null);
}
