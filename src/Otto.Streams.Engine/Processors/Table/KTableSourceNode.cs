using Otto.Streams.State;

namespace Otto.Streams.Processors.Table;

/// <summary>Materializes a stream of updates into a table: a value upserts, a tombstone (null value) deletes, and the
/// update goes on as a <see cref="Change"/> (with the value it replaced when asked). Records with a null key cannot
/// be stored and are dropped, as Kafka Streams does.</summary>
internal sealed class KTableSourceNode(string name, string storeName, bool sendOldValues) : StoreNode<IUntypedKeyValueStore>(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: false)) return;
        var old = sendOldValues ? Store.Get(key!) : null;
        Store.Put(key!, value);
        Forward(key, new Change(value, old));
    }
}
