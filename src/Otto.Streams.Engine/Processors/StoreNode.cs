using Otto.Streams.State;

namespace Otto.Streams.Processors;

/// <summary>A node that owns one store of its task, looked up once when the task starts.</summary>
internal abstract class StoreNode<TStore>(string name, string storeName) : ProcessorNode(name) where TStore : IStateStore
{
    protected TStore Store { get; private set; } = default!;

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        Store = context.GetStateStore<TStore>(storeName);
    }
}
