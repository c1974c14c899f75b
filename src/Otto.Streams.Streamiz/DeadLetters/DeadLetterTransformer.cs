using Streamiz.Kafka.Net.Processors.Public;

namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>
/// A Streamiz transformer that runs another one and, when it throws on a record for a reason that is the record's
/// (not <see cref="DeadLetterQueue.IsSystemic"/>), dead-letters the record and forwards nothing for it, instead of
/// letting Streamiz's inner exception handler restart every task and replay the record. Build it with
/// <see cref="DeadLetterQueue.Transformer{K, V, K1, V1}"/>.
/// </summary>
/// <remarks>Errors of processors downstream are caught too when the inner transformer forwards to them itself
/// (<c>context.Forward</c> inside Process); a returned record is forwarded by Streamiz after Process returns.</remarks>
public sealed class DeadLetterTransformer<K, V, K1, V1> : ITransformer<K, V, K1, V1>
{
    private readonly DeadLetterQueue? _deadLetters;
    private readonly ITransformer<K, V, K1, V1>? _inner;
    private ProcessorContext<K1, V1>? _context;

    /// <summary>Only for <see cref="TransformerBuilder{K, V, K1, V1}"/>'s <c>new()</c> constraint: Streamiz builds
    /// every task's transformer with the other constructor.</summary>
    public DeadLetterTransformer()
    {
    }

    /// <summary>Wraps a new transformer from <paramref name="create"/> (Streamiz calls this once per task).</summary>
    public DeadLetterTransformer(DeadLetterQueue deadLetters, Func<ITransformer<K, V, K1, V1>> create)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(create);
        _deadLetters = deadLetters;
        _inner = create();
    }

    private ITransformer<K, V, K1, V1> Inner =>
        _inner ?? throw new InvalidOperationException("Build this transformer with DeadLetterQueue.Transformer(...).");

    /// <inheritdoc />
    public void Init(ProcessorContext<K1, V1> context)
    {
        _context = context;
        Inner.Init(context);
    }

    /// <inheritdoc />
    public Record<K1, V1> Process(Record<K, V> record)
    {
        var context = _context ?? throw new InvalidOperationException("Process before Init.");
        DeadLetterQueue.Processing(context);
        try
        {
            return Inner.Process(record);
        }
        catch (Exception e) when (!DeadLetterQueue.IsSystemic(e))
        {
            _deadLetters!.Send(context, e);
            return null!; // Streamiz forwards nothing for a null record.
        }
    }

    /// <inheritdoc />
    public void Close() => Inner.Close();
}
