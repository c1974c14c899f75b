using Otto.Streams.State;

namespace Otto.Streams.Processors;

/// <summary>Stream-table join: each stream record looks up the table's current value for its key. An inner
/// join drops records without a match; a left join calls the joiner with null. Null keys are dropped.</summary>
internal sealed class KStreamKTableJoinNode<K, V, VT, VR>(string name, string storeName, Func<V, VT?, VR> joiner, bool leftJoin)
    : ProcessorNode(name)
{
    private IKeyValueStore<K, VT> _table = null!;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _table = context.GetStateStore<IKeyValueStore<K, VT>>(storeName);
    }

    public override void Process(object? key, object? value)
    {
        if (key is null || value is null)
        {
            Context.RecordDropped(Name, key is null ? "null key" : "null value");
            return;
        }
        var match = _table.Get((K)key);
        if (match is null && !leftJoin) return;
        Forward(key, joiner((V)value, match));
    }
}
