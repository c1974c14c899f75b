namespace Otto.Streams.Stream;

/// <summary>A changelog stream seen as a table (Kafka Streams' KTable): the latest value per key. Each update goes
/// downstream with the value it replaced, so grouped aggregates can subtract it; a deletion is a tombstone.</summary>
public interface IKTable<K, V>
{
    /// <summary>The name of the store holding the table, for interactive queries and the test driver; null when
    /// the table is computed from another (filter, mapValues, join) and not materialized. Those operations take a
    /// <see cref="Materialized{K,V}"/> to keep their result in a store of its own.</summary>
    string? QueryableStoreName { get; }

    /// <summary>The table's updates as a stream (a deletion is a record with a null value).</summary>
    IKStream<K, V> ToStream(string? named = null);

    /// <summary>Keeps the rows that satisfy <paramref name="predicate"/>; an update that fails it deletes the key downstream.</summary>
    IKTable<K, V> Filter(Func<K, V, bool> predicate, string? named = null, Materialized<K, V>? materialized = null);

    /// <summary>Drops the rows that satisfy <paramref name="predicate"/>; an update that satisfies it deletes the key downstream.</summary>
    IKTable<K, V> FilterNot(Func<K, V, bool> predicate, string? named = null, Materialized<K, V>? materialized = null);

    /// <summary>Transforms each row's value; a deletion stays a deletion.</summary>
    IKTable<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? named = null, Materialized<K, VR>? materialized = null);

    /// <summary>Transforms each row's value; a deletion stays a deletion.</summary>
    IKTable<K, VR> MapValues<VR>(Func<V, VR> mapper, string? named = null, Materialized<K, VR>? materialized = null);

    /// <summary>Joins with another table on the key: a row exists where both tables have one.</summary>
    IKTable<K, VR> Join<VO, VR>(IKTable<K, VO> other, Func<V, VO, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null);

    /// <summary>Joins with another table on the key: a row exists where this table has one (the other's value may be null).</summary>
    IKTable<K, VR> LeftJoin<VO, VR>(IKTable<K, VO> other, Func<V, VO?, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null);

    /// <summary>Joins with another table on the key: a row exists where either has one (the missing side is null).</summary>
    IKTable<K, VR> OuterJoin<VO, VR>(IKTable<K, VO> other, Func<V?, VO?, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null);

    /// <summary>Re-groups the rows by a new key and value for an aggregation with adder and subtractor (through a repartition topic).</summary>
    IKGroupedTable<KR, VR> GroupBy<KR, VR>(Func<K, V, KeyValuePair<KR, VR>> selector, Grouped<KR, VR>? grouped = null);
}
