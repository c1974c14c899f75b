using Otto.Streams.Graph;
using Otto.Streams.Processors.Aggregate;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>A re-grouped table: its changes always go through a repartition topic (old and new value in one
/// record), then an aggregation that subtracts old values and adds new ones.</summary>
internal sealed class KGroupedTable<K, V>(InternalTopologyBuilder builder, string selectNode, string? groupName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes)
    : IKGroupedTable<K, V>
{
    private static readonly Int64SerDes Longs = new();

    public IKTable<K, long> Count(Materialized<K, long>? materialized = null, string? named = null) =>
        Aggregate("KTABLE-AGGREGATE", Aggregation.Of<K, V, long>(() => 0L, (_, _, count) => count + 1, (_, _, count) => count - 1), materialized, Longs, named);

    public IKTable<K, V> Reduce(Func<V, V, V> adder, Func<V, V, V> subtractor, Materialized<K, V>? materialized = null, string? named = null) =>
        Aggregate("KTABLE-REDUCE", Aggregation.Reducing(adder, subtractor), materialized, valueSerDes, named);

    public IKTable<K, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> adder, Func<K, V, VR, VR> subtractor,
        Materialized<K, VR>? materialized = null, string? named = null) =>
        Aggregate("KTABLE-AGGREGATE", Aggregation.Of(initializer, adder, subtractor), materialized, null, named);

    private KTable<K, VR> Aggregate<VR>(string prefix, Aggregation aggregation, Materialized<K, VR>? materialized, ISerDes<VR>? aggregateSerDes, string? named) =>
        GroupedAggregate.Add(builder, selectNode, prefix, named, materialized, keySerDes, aggregateSerDes,
            new GroupedAggregate.Repartition(groupName, valueSerDes, true),
            (name, store, table) => new KTableAggregateNode(name, store, aggregation, table.SendOldValues));
}
