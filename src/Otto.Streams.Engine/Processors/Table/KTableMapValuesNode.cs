namespace Otto.Streams.Processors.Table;

/// <summary>Table mapValues: maps new (and, when asked, old) values; a tombstone stays a tombstone.</summary>
internal sealed class KTableMapValuesNode(string name, Func<object, object, object?> mapper, bool sendOldValues, string? storeName) : KTableNode(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        var change = (Change)value!;
        ForwardChange(key!, Map(key!, change.NewValue), sendOldValues ? Map(key!, change.OldValue) : null);
    }

    private object? Map(object key, object? value) => value is null ? null : mapper(key, value);
}
