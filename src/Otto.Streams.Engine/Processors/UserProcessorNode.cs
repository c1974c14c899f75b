using Otto.Streams.Runtime;
using Otto.Streams.State;

namespace Otto.Streams.Processors;

/// <summary>Hosts a user <see cref="IProcessor{KIn,VIn,KOut,VOut}"/> and gives it a typed view of the task context.</summary>
internal sealed class UserProcessorNode<KIn, VIn, KOut, VOut>(string name, Func<IProcessor<KIn, VIn, KOut, VOut>> supplier, IReadOnlyList<string> storeNames)
    : ProcessorNode(name), IProcessorContext<KOut, VOut>
{
    private IProcessor<KIn, VIn, KOut, VOut> _processor = null!;

    public override void Init(ProcessorContextImpl context)
    {
        base.Init(context);
        _processor = supplier();
        _processor.Init(this);
    }

    public override void Process(object? key, object? value) =>
        _processor.Process(new Record<KIn, VIn>((KIn)key!, (VIn)value!, Context.Timestamp, Context.Headers));

    public override void Close() => _processor.Close();

    string IProcessorContext<KOut, VOut>.ApplicationId => Context.ApplicationId;
    TaskId IProcessorContext<KOut, VOut>.TaskId => Context.TaskId;
    RecordMetadata? IProcessorContext<KOut, VOut>.RecordMetadata => Context.RecordMetadata;
    long IProcessorContext<KOut, VOut>.CurrentStreamTimeMs => Context.StreamTimeMs;
    long IProcessorContext<KOut, VOut>.CurrentSystemTimeMs => Context.SystemTimeMs;

    void IProcessorContext<KOut, VOut>.Forward(Record<KOut, VOut> record) =>
        Context.Forward(this, record.Key, record.Value, record.Timestamp, record.Headers);

    void IProcessorContext<KOut, VOut>.Forward(Record<KOut, VOut> record, string childName) =>
        Context.Forward(this, record.Key, record.Value, record.Timestamp, record.Headers, childName);

    TStore IProcessorContext<KOut, VOut>.GetStateStore<TStore>(string storeName)
    {
        if (!storeNames.Contains(storeName))
            throw new InvalidOperationException($"Processor {Name} is not connected to store '{storeName}'; name it when adding the processor.");
        return Context.GetStateStore<TStore>(storeName);
    }

    ICancellable IProcessorContext<KOut, VOut>.Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator) =>
        Context.Schedule(this, interval, type, punctuator);
}
