using Otto.Contracts.Otto;
using Otto.Payments.Model;
using Otto.Payments.Rules;
using Otto.Streams.Processors;
using Otto.Streams.State;

namespace Otto.Payments.Processing;

/// <summary>
/// The payment-side processor, keyed by payment id: folds facts and joined-back replies into the payment store
/// and runs the rules after each one. A wall-clock punctuation sweeps the store with one range scan (not a read
/// per payment) so SLAs and reply deadlines fire without new facts.
/// <para>While the task is catching up (it processed a record older than <see cref="PaymentsOptions.CatchUpLag"/>
/// within the last sweep interval), SLA rules wait, on facts and in sweeps: the facts that would satisfy them may be
/// further back in the backlog, and asking or flagging now would raise false alarms after every restart.</para>
/// </summary>
public sealed class PaymentProcessor(PaymentsOptions options) : IProcessor<string, PaymentEvent, string, PaymentOutput>
{
    /// <summary>The payment store's name (its changelog: {application}-payments-changelog).</summary>
    public const string StoreName = "payments";

    private readonly FactApplier _facts = new(options.HistoryLength);
    private readonly RuleRunner _rules = new(options, PaymentRules.Create(options));
    // The sweep runs the timed rules only: the others' checks depend on the model alone, which has not changed
    // since they last ran on the payment's latest fact, so rerunning them over every payment would find nothing.
    private readonly RuleRunner _timedRules = new(options, [.. PaymentRules.Create(options).Where(rule => rule.IsTimed)]);
    private readonly List<PaymentOutput> _outputs = [];
    private IProcessorContext<string, PaymentOutput> _context = null!;
    private IKeyValueStore<string, PaymentState> _payments = null!;
    private long? _lastStaleRecordAtMs;

    /// <inheritdoc />
    public void Init(IProcessorContext<string, PaymentOutput> context)
    {
        _context = context;
        _payments = context.GetStateStore<IKeyValueStore<string, PaymentState>>(StoreName);
        context.Schedule(options.SweepInterval, PunctuationType.WallClockTime, Sweep);
    }

    /// <inheritdoc />
    public void Process(Record<string, PaymentEvent> record)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(_context.CurrentSystemTimeMs);
        if (_context.CurrentSystemTimeMs - record.Timestamp > (long)options.CatchUpLag.TotalMilliseconds) _lastStaleRecordAtMs = _context.CurrentSystemTimeMs;
        var state = _payments.Get(record.Key);
        _outputs.Clear();
        switch (record.Value)
        {
            case PaymentEvent.CoreReplied replied:
                if (!Reply(record.Key, state, "GetTrnRs", replied.Reply.CorrelationId, replied.Reply.RespondedAt,
                        s => _rules.OnCoreReply(s, replied.Reply, now, _outputs))) return;
                break;
            case PaymentEvent.FixReplied fixReplied:
                if (!Reply(record.Key, state, "FixPaymentRs", fixReplied.Reply.IdempotencyKey, fixReplied.Reply.RespondedAt,
                        s => _rules.OnFixReply(s, fixReplied.Reply, now, _outputs))) return;
                break;
            default:
                var (next, outcome) = _facts.Apply(record.Key, state, record.Value);
                PaymentsMetrics.Facts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
                if (outcome == FactApplier.Outcome.Duplicate) return;
                state = next;
                break;
        }
        _rules.Evaluate(state!, now, _outputs, includeTimed: !CatchingUp(_context.CurrentSystemTimeMs));
        _payments.Put(record.Key, state!);
        Emit();
    }

    // A reply for a payment Otto does not know is counted and dropped; one answering no open question is
    // counted, noted in the history and changes nothing else.
    private bool Reply(string key, PaymentState? state, string type, string id, DateTimeOffset at, Func<PaymentState, bool> apply)
    {
        if (state is null)
        {
            PaymentsMetrics.UnknownReplies.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("reason", "no-payment"));
            return false;
        }
        var applied = apply(state);
        PaymentsMetrics.Replies.Add(1, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("outcome", applied ? "applied" : "ignored"));
        _facts.Remember(state, new HistoryEntry { EventId = id, Type = type, Source = "OTTO", OccurredAt = at, Outcome = applied ? "applied" : "ignored" });
        if (!applied) _payments.Put(key, state);
        return applied;
    }

    private bool CatchingUp(long nowMs) => nowMs - _lastStaleRecordAtMs <= (long)options.SweepInterval.TotalMilliseconds; // false before any stale record

    private void Sweep(long nowMs)
    {
        if (CatchingUp(nowMs))
        {
            PaymentsMetrics.SweepsDeferred.Add(1);
            return;
        }
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var changed = new List<(PaymentState State, PaymentOutput[] Outputs)>();
        using (var all = _payments.All())
        {
            foreach (var (_, state) in all)
            {
                _outputs.Clear();
                if (_timedRules.Evaluate(state, now, _outputs)) changed.Add((state, [.. _outputs]));
            }
        }
        // Write after the scan: the scan's iterator must not see its own updates.
        foreach (var (state, outputs) in changed)
        {
            _payments.Put(state.PaymentId, state);
            _outputs.Clear();
            _outputs.AddRange(outputs);
            Emit();
        }
    }

    private void Emit()
    {
        foreach (var output in _outputs)
        {
            switch (output)
            {
                case PaymentOutput.Ask ask:
                    PaymentsMetrics.Requests.Add(1, new KeyValuePair<string, object?>("rule", ask.Request.Rule), new KeyValuePair<string, object?>("attempt", ask.Request.Attempt));
                    break;
                case PaymentOutput.Raise raise:
                    PaymentsMetrics.Flags.Add(1, new KeyValuePair<string, object?>("rule", raise.Flag.Rule), new KeyValuePair<string, object?>("reason", raise.Flag.Reason.ToString()));
                    break;
                case PaymentOutput.Fix fix:
                    PaymentsMetrics.Fixes.Add(1, new KeyValuePair<string, object?>("rule", fix.Command.Rule), new KeyValuePair<string, object?>("intent", fix.Command.Intent.ToString()));
                    break;
                case PaymentOutput.Clear clear:
                    PaymentsMetrics.Cleared.Add(1, new KeyValuePair<string, object?>("rule", clear.Cleared.Rule));
                    break;
            }
            _context.Forward(new Record<string, PaymentOutput>(output.Key, output, _context.CurrentSystemTimeMs));
        }
    }
}
