using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>The plumbing shared by grouped streams and tables: store and node names as Kafka Streams generates
/// them, the repartition hop when the grouping changed the key, the aggregating node and its store.</summary>
internal static class GroupedAggregate
{
    public static KTable<K, VR> Add<K, VR>(InternalTopologyBuilder builder, string parent, string prefix, string? named, Materialized<K, VR>? materialized,
        ISerDes<K>? keySerDes, ISerDes<VR>? valueSerDes, Repartition? hop, Func<string, string, KTable<K, VR>, ProcessorNode> create)
    {
        var storeName = materialized?.StoreName ?? builder.NewName($"{prefix}-STATE-STORE");
        var name = named ?? builder.NewName(prefix);
        if (hop is { } h) parent = RepartitionHop.Add(builder, parent, h.Name ?? storeName, keySerDes, h.ValueSerDes, carriesChanges: h.CarriesChanges);
        var table = KTable<K, VR>.Stored(builder, name, storeName, materialized?.KeySerDes ?? keySerDes, materialized?.ValueSerDes ?? valueSerDes);
        builder.AddNode(new NodeFactory(name, NodeKind.Processor, [parent], _ => create(name, storeName, table)));
        builder.AddStateStore(DslStoreBuilder.KeyValue(storeName, materialized, keySerDes, valueSerDes), name);
        return table;
    }

    /// <summary>A repartition hop before the aggregation: its name (null: the store's) and the serde of what it carries.</summary>
    public sealed record Repartition(string? Name, ISerDes? ValueSerDes, bool CarriesChanges);
}
