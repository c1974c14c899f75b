using Otto.Streams.Graph;

namespace Otto.Streams.Stream;

/// <summary>The DSL table: a node that keeps the latest value per key in <see cref="QueryableStoreName"/>.</summary>
internal sealed class KTable<K, V>(InternalTopologyBuilder builder, string nodeName, string storeName, SerDes.ISerDes<K>? keySerDes, SerDes.ISerDes<V>? valueSerDes)
    : IKTable<K, V>
{
    public string QueryableStoreName { get; } = storeName;

    public IKStream<K, V> ToStream(string? named = null)
    {
        var name = named ?? builder.NewName("KTABLE-TOSTREAM");
        builder.AddNode(new NodeFactory(name, NodeKind.Processor, [nodeName], _ => new Processors.StatelessNode(name, (n, k, v) => n.Emit(k, v))));
        return new KStream<K, V>(builder, name, keySerDes, valueSerDes);
    }
}
