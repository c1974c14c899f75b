namespace Otto.Streams.Processors.Table;

/// <summary>Table filter: an update whose new value fails the predicate becomes a tombstone (the key leaves the
/// filtered table). With old values on, an update that was and stays filtered out is not sent at all.</summary>
internal sealed class KTableFilterNode(string name, Func<object, object, bool> keep, bool sendOldValues, string? storeName) : KTableNode(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        var change = (Change)value!;
        var newValue = Filter(key!, change.NewValue);
        var oldValue = sendOldValues ? Filter(key!, change.OldValue) : null;
        if (sendOldValues && newValue is null && oldValue is null) return;
        ForwardChange(key!, newValue, oldValue);
    }

    private object? Filter(object key, object? value) => value is not null && keep(key, value) ? value : null;
}
