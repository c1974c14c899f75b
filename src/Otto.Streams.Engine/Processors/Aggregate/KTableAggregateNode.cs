using Otto.Streams.State;

namespace Otto.Streams.Processors.Aggregate;

/// <summary>Grouped-table aggregation: an update arrives as a <see cref="Change"/>; the old value is subtracted
/// from the aggregate and the new one added, as Kafka Streams' KTableAggregate/KTableReduce do. An aggregate that
/// a subtraction empties (reduce: null) is deleted and sent as a tombstone.</summary>
internal sealed class KTableAggregateNode(string name, string storeName, Aggregation aggregation, bool sendOldValues)
    : StoreNode<IUntypedKeyValueStore>(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: false)) return;
        var change = (Change)value!;
        var old = Store.Get(key!);
        var intermediate = change.OldValue is not null && old is not null ? aggregation.Subtract!(key!, change.OldValue, old) : old;
        var updated = change.NewValue is not null ? aggregation.Add(key!, change.NewValue, intermediate) : intermediate;
        Store.Put(key!, updated);
        Forward(key, new Change(updated, sendOldValues ? old : null));
    }
}
