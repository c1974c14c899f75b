using Otto.Streams.State;

namespace Otto.Streams.Processors.Aggregate;

/// <summary>Stream aggregation (count, reduce, aggregate) into a key-value store; each update goes on as a
/// <see cref="Change"/>. Records with a null key or value are dropped and counted, as Kafka Streams does.</summary>
internal sealed class KStreamAggregateNode(string name, string storeName, Aggregation aggregation, bool sendOldValues) : ProcessorNode(name)
{
    private IUntypedKeyValueStore _store = null!;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _store = context.GetStateStore<IUntypedKeyValueStore>(storeName);
    }

    public override void Process(object? key, object? value)
    {
        if (key is null || value is null)
        {
            Context.RecordDropped(Name, key is null ? "null key" : "null value");
            return;
        }
        var old = _store.Get(key);
        var updated = aggregation.Add(key, value, old);
        _store.Put(key, updated);
        Forward(key, new Change(updated, sendOldValues ? old : null));
    }
}
