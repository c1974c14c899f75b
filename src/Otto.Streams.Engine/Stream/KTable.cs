using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.Processors.Join;
using Otto.Streams.Processors.Table;
using Otto.Streams.SerDes;
using static Otto.Streams.Stream.Untyped;

namespace Otto.Streams.Stream;

/// <summary>The DSL table: a node whose updates travel as <see cref="Change"/>s, and a value getter for lookups.
/// Old values are only computed once a downstream operation asks for them (<see cref="EnableSendingOldValues"/>),
/// which the nodes read when a task builds them.</summary>
internal sealed class KTable<K, V> : IKTable<K, V>
{
    private readonly Action? _enableParentOldValues;

    private KTable(InternalTopologyBuilder builder, string nodeName, string? storeName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes,
        Func<KTable<K, V>, TableValueGetter> getter, Action? enableParentOldValues)
    {
        (Builder, NodeName, QueryableStoreName, KeySerDes, ValueSerDes, _enableParentOldValues) =
            (builder, nodeName, storeName, keySerDes, valueSerDes, enableParentOldValues);
        ValueGetter = getter(this);
    }

    internal InternalTopologyBuilder Builder { get; }
    internal string NodeName { get; }
    internal ISerDes<K>? KeySerDes { get; }
    internal ISerDes<V>? ValueSerDes { get; }
    internal TableValueGetter ValueGetter { get; }
    internal bool SendOldValues { get; private set; }

    public string? QueryableStoreName { get; }

    /// <summary>Asks this table's node (and what it derives from) to send the value each update replaces.</summary>
    internal void EnableSendingOldValues()
    {
        if (SendOldValues) return;
        SendOldValues = true;
        _enableParentOldValues?.Invoke();
    }

    /// <summary>A table materialized from a stream of upserts and tombstones (builder.Table, ToTable).</summary>
    internal static KTable<K, V> FromStream(InternalTopologyBuilder builder, string parent, string name, string storeName,
        Materialized<K, V>? materialized, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes)
    {
        var table = new KTable<K, V>(builder, name, storeName, materialized?.KeySerDes ?? keySerDes, materialized?.ValueSerDes ?? valueSerDes,
            _ => TableValueGetter.FromStore(storeName), null);
        builder.AddNode(new NodeFactory(name, NodeKind.Processor, [parent], _ => new KTableSourceNode(name, storeName, table.SendOldValues)));
        builder.AddStateStore(DslStoreBuilder.KeyValue(storeName, materialized, keySerDes, valueSerDes), name);
        return table;
    }

    /// <summary>A table whose rows live in <paramref name="storeName"/>, updated by the node <paramref name="name"/> (aggregates).</summary>
    internal static KTable<K, V> Stored(InternalTopologyBuilder builder, string name, string storeName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes,
        TableValueGetter? getter = null) =>
        new(builder, name, storeName, keySerDes, valueSerDes, _ => getter ?? TableValueGetter.FromStore(storeName), null);

    /// <summary>A table computed from this one (or from two, for joins); when <paramref name="materialized"/>, its node also
    /// writes the result to a store of its own, which lookups then read instead of recomputing through the parents.</summary>
    private KTable<K2, V2> Derived<K2, V2>(string name, Func<KTable<K2, V2>, ProcessorNode> create, TableValueGetter getter, ISerDes<K2>? keySerDes,
        ISerDes<V2>? valueSerDes, Action enableParents, Materialized<K2, V2>? materialized, params string[] parents)
    {
        var storeName = materialized is null ? null : materialized.StoreName ?? Builder.NewName($"{name}-STATE-STORE");
        var table = new KTable<K2, V2>(Builder, name, storeName, materialized?.KeySerDes ?? keySerDes, materialized?.ValueSerDes ?? valueSerDes,
            _ => storeName is null ? getter : TableValueGetter.FromStore(storeName), enableParents);
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, parents.Length > 0 ? parents : [NodeName], _ => create(table)));
        if (storeName is not null) Builder.AddStateStore(DslStoreBuilder.KeyValue(storeName, materialized, keySerDes, valueSerDes), name);
        return table;
    }

    public IKStream<K, V> ToStream(string? named = null)
    {
        var name = named ?? Builder.NewName("KTABLE-TOSTREAM");
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName], _ => new StatelessNode(name, (n, k, v) => n.Emit(k, ((Change)v!).NewValue))));
        return new KStream<K, V>(Builder, name, KeySerDes, ValueSerDes);
    }

    public IKTable<K, V> Filter(Func<K, V, bool> predicate, string? named = null, Materialized<K, V>? materialized = null) =>
        Filter(predicate, false, named, materialized);

    public IKTable<K, V> FilterNot(Func<K, V, bool> predicate, string? named = null, Materialized<K, V>? materialized = null) =>
        Filter(predicate, true, named, materialized);

    private KTable<K, V> Filter(Func<K, V, bool> predicate, bool not, string? named, Materialized<K, V>? materialized)
    {
        var name = named ?? Builder.NewName("KTABLE-FILTER");
        bool Keep(object k, object v) => predicate(As<K>(k), As<V>(v)) != not;
        return Derived<K, V>(name, t => new KTableFilterNode(name, Keep, t.SendOldValues, t.QueryableStoreName),
            ValueGetter.Then((k, v) => v is not null && Keep(k, v) ? v : null), KeySerDes, ValueSerDes, EnableSendingOldValues, materialized);
    }

    public IKTable<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? named = null, Materialized<K, VR>? materialized = null)
    {
        var name = named ?? Builder.NewName("KTABLE-MAPVALUES");
        object? Map(object k, object v) => mapper(As<K>(k), As<V>(v));
        return Derived<K, VR>(name, t => new KTableMapValuesNode(name, Map, t.SendOldValues, t.QueryableStoreName),
            ValueGetter.Then((k, v) => v is null ? null : Map(k, v)), KeySerDes, null, EnableSendingOldValues, materialized);
    }

    public IKTable<K, VR> MapValues<VR>(Func<V, VR> mapper, string? named = null, Materialized<K, VR>? materialized = null) =>
        MapValues((_, v) => mapper(v), named, materialized);

    public IKTable<K, VR> Join<VO, VR>(IKTable<K, VO> other, Func<V, VO, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null) =>
        JoinTable(other, (l, r) => joiner(l!, r!), JoinKind.Inner, "JOIN", named, materialized);

    public IKTable<K, VR> LeftJoin<VO, VR>(IKTable<K, VO> other, Func<V, VO?, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null) =>
        JoinTable(other, (l, r) => joiner(l!, r), JoinKind.Left, "LEFT", named, materialized);

    public IKTable<K, VR> OuterJoin<VO, VR>(IKTable<K, VO> other, Func<V?, VO?, VR> joiner, string? named = null, Materialized<K, VR>? materialized = null) =>
        JoinTable(other, joiner, JoinKind.Outer, "OUTER", named, materialized);

    /// <summary>Two join nodes (one per side, each looking up the other side) merged into one table, as Kafka Streams builds it.</summary>
    private KTable<K, VR> JoinTable<VO, VR>(IKTable<K, VO> otherTable, Func<V?, VO?, VR> joiner, JoinKind kind, string prefix, string? named,
        Materialized<K, VR>? materialized)
    {
        var other = (KTable<K, VO>)otherTable;
        // Both inputs always send old values: without them, deleting the last side of an outer join could not be
        // told from deleting a row that never existed, and the result's tombstone would be lost.
        EnableSendingOldValues();
        other.EnableSendingOldValues();
        var thisName = named is null ? Builder.NewName($"KTABLE-{prefix}THIS") : $"{named}-join-this";
        var otherName = named is null ? Builder.NewName($"KTABLE-{prefix}OTHER") : $"{named}-join-other";
        var mergeName = named ?? Builder.NewName("KTABLE-MERGE");
        object? Join(object? l, object? r) => joiner(As<V>(l), As<VO>(r));

        KTable<K, VR>? result = null;
        Builder.AddNode(new NodeFactory(thisName, NodeKind.Processor, [NodeName],
            _ => new KTableKTableJoinNode(thisName, kind, JoinSide.Left, other.ValueGetter, Join, result!.SendOldValues)));
        Builder.AddNode(new NodeFactory(otherName, NodeKind.Processor, [other.NodeName],
            _ => new KTableKTableJoinNode(otherName, kind, JoinSide.Right, ValueGetter, Join, result!.SendOldValues)));
        foreach (var store in other.ValueGetter.StoreNames) Builder.ConnectProcessorAndStore(thisName, store);
        foreach (var store in ValueGetter.StoreNames) Builder.ConnectProcessorAndStore(otherName, store);

        var getter = TableValueGetter.Combine(ValueGetter, other.ValueGetter, (l, r) =>
            (l is null && kind.Requires(JoinSide.Left)) || (r is null && kind.Requires(JoinSide.Right)) || (l is null && r is null) ? null : Join(l, r));
        result = Derived<K, VR>(mergeName, t => new KTableMergeNode(mergeName, t.QueryableStoreName), getter, KeySerDes, null,
            () => { EnableSendingOldValues(); other.EnableSendingOldValues(); }, materialized, thisName, otherName);
        return result;
    }

    public IKGroupedTable<KR, VR> GroupBy<KR, VR>(Func<K, V, KeyValuePair<KR, VR>> selector, Grouped<KR, VR>? grouped = null)
    {
        var name = Builder.NewName("KTABLE-SELECT");
        EnableSendingOldValues();
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName], _ => new KTableRepartitionMapNode(name, (k, v) =>
        {
            var (key, value) = selector(As<K>(k), As<V>(v));
            return (key, value);
        })));
        return new KGroupedTable<KR, VR>(Builder, name, grouped?.Name, grouped?.KeySerDes, grouped?.ValueSerDes);
    }
}
