using Otto.Streams.Runtime;

namespace Otto.Streams.Processors;

/// <summary>
/// A node of a task's processor graph. Keys and values travel as objects between nodes (the typed DSL
/// guarantees the casts), so the graph, the task and the test driver need no generic plumbing.
/// </summary>
internal abstract class ProcessorNode(string name)
{
    public string Name { get; } = name;
    public List<ProcessorNode> Children { get; } = [];
    protected ProcessorContextImpl Context { get; private set; } = null!;

    public virtual void Init(ProcessorContextImpl context) => Context = context;

    public abstract void Process(object? key, object? value);

    public virtual void Close() { }

    /// <summary>True, after counting and logging the drop, when the record has no key (where <paramref name="keyRequired"/>)
    /// or no value (where <paramref name="valueRequired"/>): such records cannot be stored, joined or aggregated
    /// (Kafka Streams drops them too).</summary>
    protected bool DroppedForNulls(object? key, object? value, bool valueRequired, bool keyRequired = true)
    {
        if ((key is not null || !keyRequired) && (value is not null || !valueRequired)) return false;
        Context.RecordDropped(Name, key is null ? "null key" : "null value");
        return true;
    }

    /// <summary>Forwards to every child, keeping the current record's timestamp and headers.</summary>
    protected void Forward(object? key, object? value) => Context.Forward(this, key, value, null, null);
}

/// <summary>A node whose behaviour is a lambda over the node itself and the record: the stateless DSL operators.</summary>
internal sealed class StatelessNode(string name, Action<StatelessNode, object?, object?> process) : ProcessorNode(name)
{
    public override void Process(object? key, object? value) => process(this, key, value);

    public void Emit(object? key, object? value) => Forward(key, value);

    /// <summary>Counts and logs a record the operator cannot handle (e.g. a null key where one is needed).</summary>
    public void Dropped(string reason) => Context.RecordDropped(Name, reason);
}
