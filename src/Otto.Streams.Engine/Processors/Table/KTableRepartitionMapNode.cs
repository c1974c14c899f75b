namespace Otto.Streams.Processors.Table;

/// <summary>The first half of a table's groupBy: each update is re-keyed by the selector. When the new key
/// equals the old one, one change goes out; otherwise the old value is retracted from its old key and the new
/// one added under its new key, so the grouped aggregate can subtract and add (Kafka Streams' KTableRepartitionMap).</summary>
internal sealed class KTableRepartitionMapNode(string name, Func<object, object, (object? Key, object? Value)> selector) : ProcessorNode(name)
{
    public override void Process(object? key, object? value)
    {
        var change = (Change)value!;
        var newPair = change.NewValue is null ? ((object?, object?)?)null : selector(key!, change.NewValue);
        var oldPair = change.OldValue is null ? ((object?, object?)?)null : selector(key!, change.OldValue);
        if (newPair is { } n && oldPair is { } o && Equals(n.Item1, o.Item1))
        {
            Send(n.Item1, new Change(n.Item2, o.Item2));
            return;
        }
        if (oldPair is { } old) Send(old.Item1, new Change(null, old.Item2));
        if (newPair is { } @new) Send(@new.Item1, new Change(@new.Item2, null));
    }

    private void Send(object? key, Change change)
    {
        if (key is null) Context.RecordDropped(Name, "groupBy selected a null key");
        else Forward(key, change);
    }
}
