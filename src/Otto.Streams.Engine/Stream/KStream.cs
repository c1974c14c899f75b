using Otto.Streams.Errors;
using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>The DSL stream: each operator adds a node to the graph, with this stream's node as its parent.
/// The serdes known for the key and value travel along until an operator changes the type.</summary>
internal sealed class KStream<K, V>(InternalTopologyBuilder builder, string nodeName, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes) : IKStream<K, V>
{
    internal InternalTopologyBuilder Builder { get; } = builder;
    internal string NodeName { get; } = nodeName;
    internal ISerDes<K>? KeySerDes { get; } = keySerDes;
    internal ISerDes<V>? ValueSerDes { get; } = valueSerDes;

    private string AddStateless(string prefix, string? named, Action<StatelessNode, object?, object?> process, params string[] parents)
    {
        var name = named ?? Builder.NewName(prefix);
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, parents.Length > 0 ? parents : [NodeName], _ => new StatelessNode(name, process)));
        return name;
    }

    private KStream<K2, V2> Next<K2, V2>(string name, ISerDes<K2>? keySerDes, ISerDes<V2>? valueSerDes) => new(Builder, name, keySerDes, valueSerDes);

    public IKStream<K, V> Filter(Func<K, V, bool> predicate, string? named = null) =>
        Next(AddStateless("KSTREAM-FILTER", named, (n, k, v) => { if (predicate((K)k!, (V)v!)) n.Emit(k, v); }), KeySerDes, ValueSerDes);

    public IKStream<K, V> FilterNot(Func<K, V, bool> predicate, string? named = null) => Filter((k, v) => !predicate(k, v), named);

    public IKStream<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? named = null) =>
        Next<K, VR>(AddStateless("KSTREAM-MAPVALUES", named, (n, k, v) => n.Emit(k, mapper((K)k!, (V)v!))), KeySerDes, null);

    public IKStream<K, VR> MapValues<VR>(Func<V, VR> mapper, string? named = null) => MapValues((_, v) => mapper(v), named);

    public IKStream<KR, V> SelectKey<KR>(Func<K, V, KR> keySelector, string? named = null) =>
        Next<KR, V>(AddStateless("KSTREAM-KEY-SELECT", named, (n, k, v) => n.Emit(keySelector((K)k!, (V)v!), v)), null, ValueSerDes);

    public IKStream<K, V> Peek(Action<K, V> action, string? named = null) =>
        Next(AddStateless("KSTREAM-PEEK", named, (n, k, v) => { action((K)k!, (V)v!); n.Emit(k, v); }), KeySerDes, ValueSerDes);

    public IKStream<K, V> Merge(IKStream<K, V> other, string? named = null)
    {
        var o = (KStream<K, V>)other;
        var name = AddStateless("KSTREAM-MERGE", named, (n, k, v) => n.Emit(k, v), NodeName, o.NodeName);
        return Next(name, KeySerDes ?? o.KeySerDes, ValueSerDes ?? o.ValueSerDes);
    }

    public void To(string topic, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null)
    {
        var name = named ?? Builder.NewName("KSTREAM-SINK");
        var (k, v) = (keySerDes ?? KeySerDes, valueSerDes ?? ValueSerDes);
        Builder.AddNode(new NodeFactory(name, NodeKind.Sink, [NodeName],
            config => new SinkNode(name, (_, _) => topic, SerDesResolver.Key(k, config, name), SerDesResolver.Value(v, config, name)))
        {
            SinkTopic = topic,
        });
    }

    public IKStream<K, VR> Join<VT, VR>(IKTable<K, VT> table, Func<V, VT, VR> joiner, string? named = null) =>
        JoinTable<VT, VR>(table, (v, t) => joiner(v, t!), leftJoin: false, named);

    public IKStream<K, VR> LeftJoin<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, string? named = null) =>
        JoinTable(table, joiner, leftJoin: true, named);

    private KStream<K, VR> JoinTable<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, bool leftJoin, string? named)
    {
        var name = named ?? Builder.NewName(leftJoin ? "KSTREAM-LEFTJOIN" : "KSTREAM-JOIN");
        var store = table.QueryableStoreName;
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName],
            _ => new KStreamKTableJoinNode<K, V, VT, VR>(name, store, joiner, leftJoin)));
        Builder.ConnectProcessorAndStore(name, store);
        return Next<K, VR>(name, KeySerDes, null);
    }

    public IKStream<KOut, VOut> Process<KOut, VOut>(Func<IProcessor<K, V, KOut, VOut>> supplier, string? named = null, params string[] storeNames)
    {
        var name = named ?? Builder.NewName("KSTREAM-PROCESSOR");
        Builder.AddNode(new NodeFactory(name, NodeKind.Processor, [NodeName], _ => new UserProcessorNode<K, V, KOut, VOut>(name, supplier, storeNames)));
        foreach (var store in storeNames) Builder.ConnectProcessorAndStore(name, store);
        return Next<KOut, VOut>(name, null, null);
    }
}
