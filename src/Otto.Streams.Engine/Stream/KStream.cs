using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.Processors.Join;
using Otto.Streams.Processors.Table;
using Otto.Streams.SerDes;
using static Otto.Streams.Stream.Untyped;

namespace Otto.Streams.Stream;

/// <summary>The DSL stream: each operator adds a node to the graph, with this stream's node as its parent.
/// The serdes known for the key and value travel along until an operator changes the type; a key-changing
/// operator marks the stream so that the next stateful operator repartitions it first.</summary>
internal sealed class KStream<K, V>(InternalTopologyBuilder builder, string nodeName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes,
    bool repartitionRequired = false) : IKStream<K, V>
{
    internal InternalTopologyBuilder Builder { get; } = builder;
    internal string NodeName { get; } = nodeName;
    internal ISerDes<K>? KeySerDes { get; } = keySerDes;
    internal ISerDes<V>? ValueSerDes { get; } = valueSerDes;
    internal bool RepartitionRequired { get; } = repartitionRequired;

    internal string AddStateless(string prefix, string? named, Action<StatelessNode, object?, object?> process, params string[] parents)
    {
        var name = named ?? Builder.NewName(prefix);
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, parents.Length > 0 ? parents : [NodeName], _ => new StatelessNode(name, process)));
        return name;
    }

    private KStream<K2, V2> Next<K2, V2>(string name, ISerDes<K2>? keySerDes, ISerDes<V2>? valueSerDes, bool keyChanged) =>
        new(Builder, name, keySerDes, valueSerDes, RepartitionRequired || keyChanged);

    public IKStream<K, V> Filter(Func<K, V, bool> predicate, string? named = null) =>
        Next(AddStateless("KSTREAM-FILTER", named, (n, k, v) => { if (predicate(As<K>(k), As<V>(v))) n.Emit(k, v); }), KeySerDes, ValueSerDes, false);

    public IKStream<K, V> FilterNot(Func<K, V, bool> predicate, string? named = null) => Filter((k, v) => !predicate(k, v), named);

    public IKStream<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? named = null) =>
        Next<K, VR>(AddStateless("KSTREAM-MAPVALUES", named, (n, k, v) => n.Emit(k, mapper(As<K>(k), As<V>(v)))), KeySerDes, null, false);

    public IKStream<K, VR> MapValues<VR>(Func<V, VR> mapper, string? named = null) => MapValues((_, v) => mapper(v), named);

    public IKStream<KR, VR> Map<KR, VR>(Func<K, V, KeyValuePair<KR, VR>> mapper, string? named = null) =>
        Next<KR, VR>(AddStateless("KSTREAM-MAP", named, (n, k, v) =>
        {
            var (key, value) = mapper(As<K>(k), As<V>(v));
            n.Emit(key, value);
        }), null, null, true);

    public IKStream<KR, VR> FlatMap<KR, VR>(Func<K, V, IEnumerable<KeyValuePair<KR, VR>>> mapper, string? named = null) =>
        Next<KR, VR>(AddStateless("KSTREAM-FLATMAP", named, (n, k, v) =>
        {
            foreach (var (key, value) in mapper(As<K>(k), As<V>(v))) n.Emit(key, value);
        }), null, null, true);

    public IKStream<K, VR> FlatMapValues<VR>(Func<K, V, IEnumerable<VR>> mapper, string? named = null) =>
        Next<K, VR>(AddStateless("KSTREAM-FLATMAPVALUES", named, (n, k, v) =>
        {
            foreach (var value in mapper(As<K>(k), As<V>(v))) n.Emit(k, value);
        }), KeySerDes, null, false);

    public IKStream<K, VR> FlatMapValues<VR>(Func<V, IEnumerable<VR>> mapper, string? named = null) => FlatMapValues((_, v) => mapper(v), named);

    public IKStream<KR, V> SelectKey<KR>(Func<K, V, KR> keySelector, string? named = null) =>
        Next<KR, V>(AddStateless("KSTREAM-KEY-SELECT", named, (n, k, v) => n.Emit(keySelector(As<K>(k), As<V>(v)), v)), null, ValueSerDes, true);

    public IKStream<K, V> Peek(Action<K, V> action, string? named = null) =>
        Next(AddStateless("KSTREAM-PEEK", named, (n, k, v) => { action(As<K>(k), As<V>(v)); n.Emit(k, v); }), KeySerDes, ValueSerDes, false);

    public void Foreach(Action<K, V> action, string? named = null) =>
        AddStateless("KSTREAM-FOREACH", named, (_, k, v) => action(As<K>(k), As<V>(v)));

    public IKStream<K, V> Merge(IKStream<K, V> other, string? named = null)
    {
        var o = (KStream<K, V>)other;
        var name = AddStateless("KSTREAM-MERGE", named, (n, k, v) => n.Emit(k, v), NodeName, o.NodeName);
        return Next(name, KeySerDes ?? o.KeySerDes, ValueSerDes ?? o.ValueSerDes, o.RepartitionRequired);
    }

    public IBranchedKStream<K, V> Split(string? named = null) => new BranchedKStream<K, V>(this, named ?? Builder.NewName("KSTREAM-BRANCH"));

    public void To(string topic, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null) =>
        AddSink(null, topic, keySerDes, valueSerDes, named);

    public void To(TopicNameExtractor<K, V> topicExtractor, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null) =>
        AddSink((k, v, source) => topicExtractor(As<K>(k), As<V>(v), source), null, keySerDes, valueSerDes, named);

    private void AddSink(Func<object?, object?, RecordMetadata?, string>? topicFor, string? fixedTopic, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes, string? named)
    {
        var name = named ?? Builder.NewName("KSTREAM-SINK");
        var (k, v) = (keySerDes ?? KeySerDes, valueSerDes ?? ValueSerDes);
        Builder.AddNode(new NodeFactory(name, NodeKind.Sink, [NodeName],
            config => new SinkNode(name, topicFor, fixedTopic, SerDesResolver.Key(k, config, name), SerDesResolver.Value(v, config, name)))
        {
            SinkTopic = fixedTopic,
        });
    }

    public IKStream<K, V> Repartition(Repartitioned<K, V>? repartitioned = null)
    {
        var name = repartitioned?.Name ?? Builder.NewName("KSTREAM-REPARTITION");
        var (k, v) = (repartitioned?.KeySerDes ?? KeySerDes, repartitioned?.ValueSerDes ?? ValueSerDes);
        var source = RepartitionHop.Add(Builder, NodeName, name, k, v, repartitioned?.NumberOfPartitions);
        return new KStream<K, V>(Builder, source, k, v);
    }

    /// <summary>This stream, read back from a repartition topic when its key changed; else itself.</summary>
    internal KStream<K, V> RepartitionedIfRequired(string name, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null)
    {
        if (!RepartitionRequired) return this;
        var (k, v) = (keySerDes ?? KeySerDes, valueSerDes ?? ValueSerDes);
        return new KStream<K, V>(Builder, RepartitionHop.Add(Builder, NodeName, name, k, v), k, v);
    }

    public IKTable<K, V> ToTable(Materialized<K, V>? materialized = null, string? named = null)
    {
        var name = named ?? Builder.NewName("KSTREAM-TOTABLE");
        var storeName = materialized?.StoreName ?? Builder.NewName("KSTREAM-TOTABLE-STATE-STORE");
        var input = RepartitionedIfRequired(name, materialized?.KeySerDes, materialized?.ValueSerDes);
        return KTable<K, V>.FromStream(Builder, input.NodeName, name, storeName, materialized, input.KeySerDes, input.ValueSerDes);
    }

    public IKGroupedStream<K, V> GroupByKey(Grouped<K, V>? grouped = null) =>
        new KGroupedStream<K, V>(this, grouped?.Name, grouped?.KeySerDes ?? KeySerDes, grouped?.ValueSerDes ?? ValueSerDes);

    public IKGroupedStream<KR, V> GroupBy<KR>(Func<K, V, KR> keySelector, Grouped<KR, V>? grouped = null)
    {
        var selected = (KStream<KR, V>)SelectKey(keySelector);
        return new KGroupedStream<KR, V>(selected, grouped?.Name, grouped?.KeySerDes, grouped?.ValueSerDes ?? ValueSerDes);
    }

    public IKStream<K, VR> Join<VT, VR>(IKTable<K, VT> table, Func<V, VT, VR> joiner, string? named = null) =>
        JoinTable(table, (v, t) => joiner(v, t!), leftJoin: false, named);

    public IKStream<K, VR> LeftJoin<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, string? named = null) =>
        JoinTable(table, joiner, leftJoin: true, named);

    private KStream<K, VR> JoinTable<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, bool leftJoin, string? named)
    {
        var name = named ?? Builder.NewName(leftJoin ? "KSTREAM-LEFTJOIN" : "KSTREAM-JOIN");
        var input = RepartitionedIfRequired(NodeName);
        var getter = ((KTable<K, VT>)table).ValueGetter;
        return input.AddJoinNode<VR>(name, getter, (k, _) => k, (v, t) => joiner(As<V>(v), As<VT>(t)), leftJoin, keyRequired: true);
    }

    public IKStream<K, VR> Join<KG, VG, VR>(IGlobalKTable<KG, VG> table, Func<K, V, KG> keySelector, Func<V, VG, VR> joiner, string? named = null) =>
        JoinGlobal(table, keySelector, (v, g) => joiner(v, g!), leftJoin: false, named);

    public IKStream<K, VR> LeftJoin<KG, VG, VR>(IGlobalKTable<KG, VG> table, Func<K, V, KG> keySelector, Func<V, VG?, VR> joiner, string? named = null) =>
        JoinGlobal(table, keySelector, joiner, leftJoin: true, named);

    /// <summary>A global table holds every partition, so the stream is joined where it is: no repartitioning.</summary>
    private KStream<K, VR> JoinGlobal<KG, VG, VR>(IGlobalKTable<KG, VG> table, Func<K, V, KG> keySelector, Func<V, VG?, VR> joiner, bool leftJoin, string? named)
    {
        var name = named ?? Builder.NewName(leftJoin ? "KSTREAM-LEFTJOIN" : "KSTREAM-JOIN");
        var getter = ((GlobalKTable<KG, VG>)table).ValueGetter;
        var joined = AddJoinNode<VR>(name, getter, (k, v) => keySelector(As<K>(k), As<V>(v)), (v, g) => joiner(As<V>(v), As<VG>(g)), leftJoin, keyRequired: false);
        return new KStream<K, VR>(Builder, joined.NodeName, KeySerDes, null, RepartitionRequired);
    }

    public IKStream<K, VR> Join<VO, VR>(IKStream<K, VO> other, Func<V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        KStreamJoin.Build<K, V, VO, VR>(this, (KStream<K, VO>)other, (l, r) => joiner(l!, r!), windows, joined, JoinKind.Inner);

    public IKStream<K, VR> LeftJoin<VO, VR>(IKStream<K, VO> other, Func<V, VO?, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        KStreamJoin.Build<K, V, VO, VR>(this, (KStream<K, VO>)other, (l, r) => joiner(l!, r), windows, joined, JoinKind.Left);

    public IKStream<K, VR> OuterJoin<VO, VR>(IKStream<K, VO> other, Func<V?, VO?, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null) =>
        KStreamJoin.Build(this, (KStream<K, VO>)other, joiner, windows, joined, JoinKind.Outer);

    internal KStream<K, VR> AddJoinNode<VR>(string name, TableValueGetter getter, Func<object?, object, object?> lookupKey, Func<object, object?, object?> joiner,
        bool leftJoin, bool keyRequired)
    {
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName], _ => new KStreamTableJoinNode(name, getter, lookupKey, joiner, leftJoin, keyRequired)));
        foreach (var store in getter.StoreNames) Builder.ConnectProcessorAndStore(name, store);
        return new KStream<K, VR>(Builder, name, KeySerDes, null);
    }

    public IKStream<KOut, VOut> Process<KOut, VOut>(Func<IProcessor<K, V, KOut, VOut>> supplier, string? named = null, params string[] storeNames)
    {
        var name = named ?? Builder.NewName("KSTREAM-PROCESSOR");
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName], _ => new UserProcessorNode<K, V, KOut, VOut>(name, supplier, storeNames)));
        foreach (var store in storeNames) Builder.ConnectProcessorAndStore(name, store);
        return new KStream<KOut, VOut>(Builder, name, null, null, repartitionRequired: true);
    }
}
