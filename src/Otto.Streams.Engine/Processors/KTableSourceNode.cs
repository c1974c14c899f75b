using Otto.Streams.State;

namespace Otto.Streams.Processors;

/// <summary>Materializes a topic into a table: a value upserts, a tombstone (null value) deletes. Records with
/// a null key cannot be stored and are dropped, as Kafka Streams does.</summary>
internal sealed class KTableSourceNode<K, V>(string name, string storeName) : ProcessorNode(name)
{
    private IKeyValueStore<K, V> _store = null!;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _store = context.GetStateStore<IKeyValueStore<K, V>>(storeName);
    }

    public override void Process(object? key, object? value)
    {
        if (key is null)
        {
            Context.RecordDropped(Name, "null key");
            return;
        }
        _store.Put((K)key, (V?)value);
        Forward(key, value);
    }
}
