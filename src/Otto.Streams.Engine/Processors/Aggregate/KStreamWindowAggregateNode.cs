using Otto.Streams.State.Window;
using Otto.Streams.Stream;

namespace Otto.Streams.Processors.Aggregate;

/// <summary>Windowed aggregation: a record updates the aggregate of every window it falls in that is still open.
/// Stream time is the largest timestamp this node has seen; a window closes when stream time reaches its end plus
/// the grace period, and a record for a closed window is dropped and counted (otto.streams.late.records), as in
/// Kafka Streams. Each update goes on keyed by <see cref="Windowed{K}"/>.</summary>
internal sealed class KStreamWindowAggregateNode(string name, string storeName, TimeWindows windows, Aggregation aggregation,
    Func<object, TimeWindow, object> windowedKey, bool sendOldValues) : StoreNode<IUntypedWindowStore>(name, storeName)
{
    private long _observedMs = long.MinValue;

    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: true)) return;
        var timestamp = Context.Timestamp;
        _observedMs = Math.Max(_observedMs, timestamp);
        var closedBefore = _observedMs - windows.GraceMs;
        foreach (var window in windows.WindowsFor(timestamp))
        {
            if (window.EndMs <= closedBefore)
            {
                DslMetrics.LateRecords.Add(1, new KeyValuePair<string, object?>("node", Name));
                Context.RecordDropped(Name, $"late record: window [{window.StartMs},{window.EndMs}) closed at stream time {_observedMs}");
                continue;
            }
            var old = Store.Fetch(key!, window.StartMs);
            var updated = aggregation.Add(key!, value!, old);
            Store.Put(key!, updated, window.StartMs);
            Forward(windowedKey(key!, window), new Change(updated, sendOldValues ? old : null));
        }
    }
}
