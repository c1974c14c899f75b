using Otto.Contracts.Otto;
using Otto.Payments.Model;
using Otto.Payments.Rules;
using Otto.Streams.Processors;
using Otto.Streams.State;

namespace Otto.Payments.Processing;

/// <summary>
/// The payment-side processor, keyed by payment id: folds facts and core replies into the payment store and
/// runs the rules. A wall-clock punctuation sweeps the store with one range scan (not a read per payment)
/// to find payments past their SLA and requests past their deadline.
/// </summary>
public sealed class PaymentProcessor(PaymentsOptions options) : IProcessor<string, PaymentEvent, string, RuleOutput>
{
    /// <summary>The payment store's name (its changelog: {application}-payments-changelog).</summary>
    public const string StoreName = "payments";

    private readonly FactApplier _facts = new(options.RecentEventIds);
    private readonly StuckStatusRule _stuckStatus = new(options);
    private IProcessorContext<string, RuleOutput> _context = null!;
    private IKeyValueStore<string, PaymentState> _payments = null!;

    /// <inheritdoc />
    public void Init(IProcessorContext<string, RuleOutput> context)
    {
        _context = context;
        _payments = context.GetStateStore<IKeyValueStore<string, PaymentState>>(StoreName);
        context.Schedule(options.SweepInterval, PunctuationType.WallClockTime, Sweep);
    }

    /// <inheritdoc />
    public void Process(Record<string, PaymentEvent> record)
    {
        var state = _payments.Get(record.Key);
        if (record.Value is PaymentEvent.CoreReplied replied)
        {
            if (state is null)
            {
                PaymentsMetrics.UnknownReplies.Add(1);
                return;
            }
            var (output, applied) = _stuckStatus.OnReply(state, replied.Reply, Now);
            PaymentsMetrics.Replies.Add(1, new KeyValuePair<string, object?>("outcome", applied ? "applied" : "ignored"));
            _payments.Put(record.Key, state);
            Emit(output);
            return;
        }

        var (next, outcome) = _facts.Apply(state, record.Value);
        PaymentsMetrics.Facts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        if (outcome != FactApplier.Outcome.Duplicate) _payments.Put(record.Key, next);
    }

    private DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds(_context.CurrentSystemTimeMs);

    private void Sweep(long nowMs)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var changed = new List<(PaymentState State, RuleOutput Output)>();
        using (var all = _payments.All())
        {
            foreach (var (_, state) in all)
                if (_stuckStatus.OnSweep(state, now) is { } output) changed.Add((state, output));
        }
        // Write after the scan: the scan's iterator must not see its own updates.
        foreach (var (state, output) in changed)
        {
            _payments.Put(state.PaymentId, state);
            Emit(output);
        }
    }

    private void Emit(RuleOutput? output)
    {
        if (output is null) return;
        if (output.Request is { } rq) PaymentsMetrics.Requests.Add(1, new KeyValuePair<string, object?>("attempt", rq.Attempt));
        if (output.Flag is { } flag) PaymentsMetrics.Flags.Add(1, new KeyValuePair<string, object?>("reason", flag.Reason.ToString()));
        _context.Forward(new Record<string, RuleOutput>(output.Key, output, _context.CurrentSystemTimeMs));
    }
}
