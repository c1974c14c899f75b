using Otto.Streams.Processors.Aggregate;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>A grouped stream: aggregations repartition first when the grouping changed the key.</summary>
internal sealed class KGroupedStream<K, V>(KStream<K, V> stream, string? groupName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes) : IKGroupedStream<K, V>
{
    private static readonly Int64SerDes Longs = new();

    public IKTable<K, long> Count(Materialized<K, long>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-AGGREGATE", Aggregation.Of<K, V, long>(() => 0L, (_, _, count) => count + 1), materialized, Longs, named);

    public IKTable<K, V> Reduce(Func<V, V, V> reducer, Materialized<K, V>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-REDUCE", Aggregation.Reducing(reducer), materialized, valueSerDes, named);

    public IKTable<K, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> aggregator, Materialized<K, VR>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-AGGREGATE", Aggregation.Of(initializer, aggregator), materialized, null, named);

    public ITimeWindowedKStream<K, V> WindowedBy(TimeWindows windows) => new TimeWindowedKStream<K, V>(stream, windows, groupName, keySerDes, valueSerDes);

    private KTable<K, VR> Aggregate<VR>(string prefix, Aggregation aggregation, Materialized<K, VR>? materialized, ISerDes<VR>? aggregateSerDes, string? named) =>
        GroupedAggregate.Add(stream.Builder, stream.NodeName, prefix, named, materialized, keySerDes, aggregateSerDes,
            stream.RepartitionRequired ? new GroupedAggregate.Repartition(groupName, valueSerDes, false) : null,
            (name, store, table) => new KStreamAggregateNode(name, store, aggregation, table.SendOldValues));
}
