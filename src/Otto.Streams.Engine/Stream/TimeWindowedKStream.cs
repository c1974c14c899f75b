using Otto.Streams.Graph;
using Otto.Streams.Processors.Aggregate;
using Otto.Streams.Processors.Table;
using Otto.Streams.SerDes;
using Otto.Streams.State.Window;

namespace Otto.Streams.Stream;

/// <summary>A grouped stream aggregated per time window (Kafka Streams' TimeWindowedKStream). Results are tables
/// keyed by <see cref="Windowed{K}"/>, stored in a window store kept for size + grace.</summary>
public interface ITimeWindowedKStream<K, V>
{
    /// <summary>Counts the records per key and window.</summary>
    IKTable<Windowed<K>, long> Count(Materialized<K, long>? materialized = null, string? named = null);

    /// <summary>Combines the values per key and window.</summary>
    IKTable<Windowed<K>, V> Reduce(Func<V, V, V> reducer, Materialized<K, V>? materialized = null, string? named = null);

    /// <summary>Folds the values per key and window into an aggregate seeded by <paramref name="initializer"/>.</summary>
    IKTable<Windowed<K>, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> aggregator, Materialized<K, VR>? materialized = null, string? named = null);
}

internal sealed class TimeWindowedKStream<K, V>(KStream<K, V> stream, TimeWindows windows, string? groupName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes)
    : ITimeWindowedKStream<K, V>
{
    private static readonly Int64SerDes Longs = new();

    public IKTable<Windowed<K>, long> Count(Materialized<K, long>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-AGGREGATE", Aggregation.Of<K, V, long>(() => 0L, (_, _, count) => count + 1), materialized, Longs, named);

    public IKTable<Windowed<K>, V> Reduce(Func<V, V, V> reducer, Materialized<K, V>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-REDUCE", Aggregation.Reducing(reducer), materialized, valueSerDes, named);

    public IKTable<Windowed<K>, VR> Aggregate<VR>(Func<VR> initializer, Func<K, V, VR, VR> aggregator, Materialized<K, VR>? materialized = null, string? named = null) =>
        Aggregate("KSTREAM-AGGREGATE", Aggregation.Of(initializer, aggregator), materialized, null, named);

    private KTable<Windowed<K>, VR> Aggregate<VR>(string prefix, Aggregation aggregation, Materialized<K, VR>? materialized, ISerDes<VR>? aggregateSerDes, string? named)
    {
        var builder = stream.Builder;
        var storeName = materialized?.StoreName ?? builder.NewName($"{prefix}-STATE-STORE");
        var name = named ?? builder.NewName(prefix);
        var parent = stream.RepartitionRequired ? RepartitionHop.Add(builder, stream.NodeName, groupName ?? storeName, keySerDes, valueSerDes) : stream.NodeName;
        var innerKeys = materialized?.KeySerDes ?? keySerDes;
        var windowedKeys = innerKeys is null ? null : new TimeWindowedSerDes<K>(innerKeys, TimeSpan.FromMilliseconds(windows.SizeMs));
        var getter = new TableValueGetter([storeName], context =>
        {
            var store = context.GetStateStore<IUntypedWindowStore>(storeName);
            return key => store.Fetch(((Windowed<K>)key).Key!, ((Windowed<K>)key).Window.StartMs);
        });
        var table = KTable<Windowed<K>, VR>.Stored(builder, name, storeName, windowedKeys, materialized?.ValueSerDes ?? aggregateSerDes, getter);
        builder.AddNode(new NodeFactory(name, NodeKind.Processor, [parent], _ => new KStreamWindowAggregateNode(name, storeName, windows, aggregation,
            (key, window) => new Windowed<K>((K)key, window), table.SendOldValues)));
        builder.AddStateStore(DslStoreBuilder.Window(storeName, materialized, keySerDes, aggregateSerDes, windows.RetentionMs, retainDuplicates: false), name);
        return table;
    }
}
