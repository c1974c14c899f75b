namespace Otto.Streams.Processors.Join;

/// <summary>Stream-table and stream-globalTable join: each stream record looks up the table's current value for
/// the key it maps to (its own key for a KTable). An inner join drops records without a match; a left join calls
/// the joiner with null. Records with a null value, and with a null key when joining a KTable by it, are dropped
/// (counted), as Kafka Streams does; a null mapped key finds no match.</summary>
internal sealed class KStreamTableJoinNode(string name, Processors.Table.TableValueGetter table, Func<object?, object, object?> lookupKey,
    Func<object, object?, object?> joiner, bool leftJoin, bool keyRequired) : ProcessorNode(name)
{
    private Func<object, object?> _table = null!;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _table = table.Connect(context);
    }

    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: true, keyRequired)) return;
        var tableKey = lookupKey(key, value!);
        var match = tableKey is null ? null : _table(tableKey);
        if (match is null && !leftJoin) return;
        Forward(key, joiner(value!, match));
    }
}
