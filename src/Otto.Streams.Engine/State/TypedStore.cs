using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>
/// What every typed store layer over a bytes store shares: it is the bytes store as far as name, persistence
/// and lifecycle go, and it serializes keys and values in the context of the store's changelog topic (so
/// schema-registry subjects match Kafka Streams').
/// </summary>
internal abstract class TypedStore<K, V>(IKeyValueStore<Bytes, byte[]> inner, ISerDes<K> keySerDes, ISerDes<V> valueSerDes) : IStateStore
{
    protected IKeyValueStore<Bytes, byte[]> Inner { get; } = inner;
    protected ISerDes<K> KeySerDes { get; } = keySerDes;
    protected ISerDes<V> ValueSerDes { get; } = valueSerDes;
    protected SerializationContext KeyContext { get; private set; }
    protected SerializationContext ValueContext { get; private set; }

    public string Name => Inner.Name;
    public bool Persistent => Inner.Persistent;
    public bool IsOpen => Inner.IsOpen;

    public void Init(IStateStoreContext context)
    {
        var topic = context.ChangelogTopic(Name);
        KeyContext = new SerializationContext(MessageComponentType.Key, topic);
        ValueContext = new SerializationContext(MessageComponentType.Value, topic);
        Inner.Init(context);
    }

    public void Flush() => Inner.Flush();
    public void Close() => Inner.Close();
}
