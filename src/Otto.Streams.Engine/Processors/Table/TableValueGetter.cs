using Otto.Streams.Runtime;
using Otto.Streams.State;

namespace Otto.Streams.Processors.Table;

/// <summary>How a node reads a table's current value for a key (Kafka Streams' value getter): from the table's
/// store, or computed from the getters of the tables it derives from, so unmaterialized tables can be joined.</summary>
internal sealed class TableValueGetter(IReadOnlyList<string> storeNames, Func<ProcessorContextImpl, Func<object, object?>> connect)
{
    /// <summary>The stores read; nodes using the getter must be connected to them.</summary>
    public IReadOnlyList<string> StoreNames { get; } = storeNames;

    /// <summary>The lookup for one task.</summary>
    public Func<object, object?> Connect(ProcessorContextImpl context) => connect(context);

    /// <summary>Reads the table's own store.</summary>
    public static TableValueGetter FromStore(string storeName) => new([storeName], context =>
    {
        var store = context.GetStateStore<IUntypedKeyValueStore>(storeName);
        return store.Get;
    });

    /// <summary>A getter that transforms what this one reads (key, value or null) into the derived table's value.</summary>
    public TableValueGetter Then(Func<object, object?, object?> derive) => new(StoreNames, context =>
    {
        var parent = connect(context);
        return key => derive(key, parent(key));
    });

    /// <summary>A getter combining two tables' values for the same key.</summary>
    public static TableValueGetter Combine(TableValueGetter left, TableValueGetter right, Func<object?, object?, object?> combine) =>
        new(left.StoreNames.Concat(right.StoreNames).Distinct().ToList(), context =>
        {
            var (l, r) = (left.Connect(context), right.Connect(context));
            return key => combine(l(key), r(key));
        });
}
