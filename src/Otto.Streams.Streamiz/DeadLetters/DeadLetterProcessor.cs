using Streamiz.Kafka.Net.Processors.Public;

namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>
/// A Streamiz processor that runs another one and, when it throws on a record for a reason that is the record's
/// (not <see cref="DeadLetterQueue.IsSystemic"/>), dead-letters the record instead of letting Streamiz's inner
/// exception handler restart every task and replay it. Build it with <see cref="DeadLetterQueue.Processor{K, V}"/>.
/// </summary>
/// <remarks>What the inner processor forwarded before it threw stays forwarded.</remarks>
public sealed class DeadLetterProcessor<K, V> : IProcessor<K, V>
{
    private readonly DeadLetterQueue? _deadLetters;
    private readonly IProcessor<K, V>? _inner;
    private ProcessorContext<K, V>? _context;

    /// <summary>Only for <see cref="ProcessorBuilder{K, V}"/>'s <c>new()</c> constraint: Streamiz builds every
    /// task's processor with the other constructor.</summary>
    public DeadLetterProcessor()
    {
    }

    /// <summary>Wraps a new processor from <paramref name="create"/> (Streamiz calls this once per task).</summary>
    public DeadLetterProcessor(DeadLetterQueue deadLetters, Func<IProcessor<K, V>> create)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(create);
        _deadLetters = deadLetters;
        _inner = create();
    }

    private IProcessor<K, V> Inner =>
        _inner ?? throw new InvalidOperationException("Build this processor with DeadLetterQueue.Processor(...).");

    /// <inheritdoc />
    public void Init(ProcessorContext<K, V> context)
    {
        _context = context;
        Inner.Init(context);
    }

    /// <inheritdoc />
    public void Process(Record<K, V> record)
    {
        var context = _context ?? throw new InvalidOperationException("Process before Init.");
        DeadLetterQueue.Processing(context);
        try
        {
            Inner.Process(record);
        }
        catch (Exception e) when (!DeadLetterQueue.IsSystemic(e))
        {
            _deadLetters!.Send(context, e);
        }
    }

    /// <inheritdoc />
    public void Close() => Inner.Close();
}
