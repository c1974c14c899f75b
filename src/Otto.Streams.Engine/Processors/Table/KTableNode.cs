using Otto.Streams.State;

namespace Otto.Streams.Processors.Table;

/// <summary>A table operation whose result may be materialized (queryable, and read directly by joins): every
/// change it forwards is first written to its store, a deletion removing the key.</summary>
internal abstract class KTableNode(string name, string? storeName) : ProcessorNode(name)
{
    private IUntypedKeyValueStore? _store;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        if (storeName is not null) _store = context.GetStateStore<IUntypedKeyValueStore>(storeName);
    }

    protected void ForwardChange(object key, object? newValue, object? oldValue)
    {
        _store?.Put(key, newValue);
        Forward(key, new Change(newValue, oldValue));
    }
}

/// <summary>Where the two sides of a table-table join meet: passes their changes on (and materializes them when asked).</summary>
internal sealed class KTableMergeNode(string name, string? storeName) : KTableNode(name, storeName)
{
    public override void Process(object? key, object? value)
    {
        var change = (Change)value!;
        ForwardChange(key!, change.NewValue, change.OldValue);
    }
}
