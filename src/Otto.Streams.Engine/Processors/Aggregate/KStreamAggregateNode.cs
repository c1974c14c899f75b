using Otto.Streams.State;

namespace Otto.Streams.Processors.Aggregate;

/// <summary>Stream aggregation (count, reduce, aggregate) into a key-value store; each update goes on as a
/// <see cref="Change"/>. Records with a null key or value are dropped and counted, as Kafka Streams does.</summary>
internal sealed class KStreamAggregateNode(string name, string storeName, Aggregation aggregation, bool sendOldValues)
    : StoreNode<IUntypedKeyValueStore>(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: true)) return;
        var old = Store.Get(key!);
        var updated = aggregation.Add(key!, value!, old);
        Store.Put(key!, updated);
        Forward(key, new Change(updated, sendOldValues ? old : null));
    }
}
