namespace Otto.Streams.Processors.Join;

/// <summary>
/// One side of a table-table join: an update of this side is joined with the other table's current value. As in
/// Kafka Streams, no result is sent when a side the join requires is absent, an outer join sends nothing for an
/// update that changes nothing, and a result that stops existing is sent as a tombstone (new value null). The
/// joiner always takes (left, right).
/// </summary>
internal sealed class KTableKTableJoinNode(string name, JoinKind kind, JoinSide side, Processors.Table.TableValueGetter other,
    Func<object?, object?, object?> joiner, bool sendOldValues) : ProcessorNode(name)
{
    private Func<object, object?> _other = null!;
    private readonly bool _thisRequired = kind.Requires(side);
    private readonly bool _otherRequired = kind.Requires(side.Other());

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _other = other.Connect(context);
    }

    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: false)) return;
        var change = (Change)value!;
        var otherValue = _other(key!);
        if (_otherRequired && otherValue is null) return;
        if (kind == JoinKind.Outer && otherValue is null && change.NewValue is null && change.OldValue is null) return;
        var newValue = Join(change.NewValue, otherValue);
        var oldValue = sendOldValues ? Join(change.OldValue, otherValue) : null;
        Forward(key, new Change(newValue, oldValue));
    }

    private object? Join(object? mine, object? theirs)
    {
        if (mine is null && (_thisRequired || theirs is null)) return null;
        return side == JoinSide.Left ? joiner(mine, theirs) : joiner(theirs, mine);
    }
}
