using Otto.Contracts.Otto;
using Otto.Payments.Model;
using Otto.Payments.Rules;
using Otto.Streams.Streamiz.CatchUp;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace Otto.Payments.Processing;

/// <summary>
/// The payment-side processor, keyed by payment id: folds facts and joined-back replies into the payment store
/// and runs the rules after each one. SLAs and reply deadlines fire without new facts through a sweep index: the
/// store <see cref="SweepStoreName"/> holds, per payment, when time alone may next change a rule's answer (key
/// <c>{due ms}|{payment id}</c>, so keys sort by time); a wall-clock punctuation range-scans it up to now and
/// reads only the payments that are due, instead of every payment of the store.
/// <para>While the task is catching up, timed rules (SLAs, reply deadlines) wait, on facts and in sweeps: the facts
/// that would settle them may be further back in the backlog, and asking or flagging now would raise false alarms
/// after every restart or rebalance. It is catching up from its start until its stores are restored and it has read
/// the backlog its input partitions held then (<see cref="TaskCatchUp"/>; the backlog at most
/// <see cref="PaymentsOptions.CatchUpTimeout"/>), and
/// whenever it processed a record older than <see cref="PaymentsOptions.CatchUpLag"/> within the last sweep interval
/// (an outage of a source system). Payments touched meanwhile are due at once, so the first sweep after catching up
/// checks them.</para>
/// </summary>
/// <para>A Streamiz transformer: it forwards its outputs itself (none, one or several a record) and returns null.</para>
/// <param name="options">The topology's settings.</param>
/// <param name="catchUp">Finds each task's backlog at its start (<see cref="TakeoverCatchUp.None"/>: nothing to catch up).</param>
/// <param name="sourceTopics">Every topic the processor's sub-topology reads: a task's input partitions.</param>
public sealed class PaymentProcessor(PaymentsOptions options, TakeoverCatchUp catchUp, IReadOnlyList<string> sourceTopics)
    : ITransformer<string, PaymentEvent, string, PaymentOutput>
{
    /// <summary>Only for Streamiz's <see cref="TransformerBuilder{K, V, K1, V1}"/>, which makes a prototype with it; every
    /// task's instance is made from the options.</summary>
    public PaymentProcessor() : this(new PaymentsOptions()) { }

    /// <summary>A processor with nothing to catch up at a task's start (only records older than CatchUpLag defer
    /// timed rules): for tools and benchmarks that drive it directly.</summary>
    public PaymentProcessor(PaymentsOptions options) : this(options, TakeoverCatchUp.None, []) { }

    /// <summary>The payment store's name (its changelog: {application}-payments-changelog).</summary>
    public const string StoreName = "payments";

    /// <summary>The sweep index's store name (its changelog: {application}-sweep-due-changelog).</summary>
    public const string SweepStoreName = "sweep-due";

    private readonly FactApplier _facts = new(options.HistoryLength);
    private readonly RuleRunner _rules = new(options, PaymentRules.Create(options));
    private readonly List<PaymentOutput> _outputs = [];
    private ProcessorContext<string, PaymentOutput> _context = null!;
    private IKeyValueStore<string, PaymentState> _payments = null!;
    private IKeyValueStore<string, SweepDue> _due = null!;
    private TaskCatchUp _catchUp = null!;
    private long? _lastStaleRecordAtMs;

    /// <inheritdoc />
    public void Init(ProcessorContext<string, PaymentOutput> context)
    {
        _context = context;
        _payments = (IKeyValueStore<string, PaymentState>)context.GetStateStore(StoreName);
        _due = (IKeyValueStore<string, SweepDue>)context.GetStateStore(SweepStoreName);
        _catchUp = catchUp.Start(context, sourceTopics, options.CatchUpTimeout, [StoreName, SweepStoreName]);
        context.Schedule(options.SweepInterval, PunctuationType.PROCESSING_TIME, Sweep);
    }

    /// <inheritdoc />
    public void Close() => _catchUp.Dispose();

    /// <inheritdoc />
    public Record<string, PaymentOutput> Process(Record<string, PaymentEvent> record)
    {
        Apply(record);
        return null!; // the outputs were forwarded
    }

    private void Apply(Record<string, PaymentEvent> record)
    {
        _catchUp.Processed(_context); // first: a record this then throws on (dead-lettered) counts as read
        var nowMs = _context.WallClockTime;
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        if (nowMs - record.Timestamp.UnixTimestampMs > (long)options.CatchUpLag.TotalMilliseconds) _lastStaleRecordAtMs = nowMs;
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
        var catchingUp = CatchingUp(nowMs);
        _rules.Evaluate(state!, now, _outputs, includeTimed: !catchingUp);
        Index(state!, catchingUp ? now : _rules.NextDue(state!));
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

    // After the last record older than CatchUpLag, timed rules wait CatchUpLag more (at least a sweep interval): a
    // pause in processing while the task is behind (Streamiz idling up to MaxTaskIdle for an empty partition, a
    // commit, a slow poll) is no sign that the backlog was read. Waiting only a sweep interval let a sweep in such a
    // pause judge SLAs whose answers were still unread (by hand, 3,000 payments and a SIGKILL: 8 flags raised and
    // then cleared).
    private bool CatchingUp(long nowMs) =>
        !_catchUp.IsCaughtUp(nowMs)
        || nowMs - _lastStaleRecordAtMs <= (long)Math.Max(options.CatchUpLag.TotalMilliseconds, options.SweepInterval.TotalMilliseconds); // null: none yet

    private static string SweepKey(DateTimeOffset due, string paymentId) => $"{Math.Max(0, due.ToUnixTimeMilliseconds()):D13}|{paymentId}";

    // Moves the payment's entry in the sweep index to its new due time (or removes it).
    private void Index(PaymentState state, DateTimeOffset? due)
    {
        if (due is { } exact) due = DateTimeOffset.FromUnixTimeMilliseconds(exact.ToUnixTimeMilliseconds()); // as stored
        if (state.SweepDueAt == due) return;
        // Put(key, null) deletes as Delete does, without it: Streamiz's Delete reads and decodes the old value to
        // return it (a RocksDB get and an Avro read per fact, ~10% of the stream thread in payments-embedded).
        if (state.SweepDueAt is { } old) _due.Put(SweepKey(old, state.PaymentId), null!);
        if (due is { } at) _due.Put(SweepKey(at, state.PaymentId), new SweepDue { PaymentId = state.PaymentId, DueAt = at });
        state.SweepDueAt = due;
    }

    private void Sweep(long nowMs)
    {
        if (CatchingUp(nowMs))
        {
            PaymentsMetrics.SweepsDeferred.Add(1);
            return;
        }
        var now = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
        var due = new List<(string Key, SweepDue Entry)>();
        using (var range = _due.Range(SweepKey(DateTimeOffset.UnixEpoch, ""), $"{nowMs:D13}|\uffff"))
        {
            while (range.MoveNext()) due.Add((range.Current!.Value.Key, range.Current.Value.Value));
        }
        // Write after the scan: the scan's iterator must not see its own updates.
        foreach (var (key, entry) in due)
        {
            var state = _payments.Get(entry.PaymentId);
            if (state?.SweepDueAt != entry.DueAt)
            {
                _due.Delete(key); // left behind by a crash between the two stores' writes: the payment's own field wins
                continue;
            }
            _outputs.Clear();
            _rules.Evaluate(state, now, _outputs);
            Index(state, _rules.NextDue(state));
            _payments.Put(state.PaymentId, state);
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
            _context.Forward(output.Key, output);
        }
    }
}
