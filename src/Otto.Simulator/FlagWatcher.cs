using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Otto;
using Otto.Payments;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Simulator;

/// <summary>A detection: rule <paramref name="Rule"/> flagged payment <paramref name="PaymentId"/> (the first time seen).</summary>
/// <param name="PaymentId">The payment.</param>
/// <param name="Rule">The rule that detected it.</param>
/// <param name="Reason">The reason of the first flag or fix command seen.</param>
/// <param name="ByFix">True when the first sign of it was a FixPaymentRq (the rule's action is Fix).</param>
public sealed record DetectedFlag(string PaymentId, string Rule, FlagReason Reason, bool ByFix);

/// <summary>
/// Watches Otto's output for this run: which rule detected which payment — from PaymentFlagged, or FixPaymentRq for
/// rules whose action is Fix — how many flags were cleared (a flag cleared later is still a detection), and the
/// dead-letter records whose source key belongs to the run (its poison records among them).
/// </summary>
internal sealed class FlagWatcher(SimulatorOptions options, PaymentTopics topics, PaymentsSerDes serDes, SimulationCounters counters, ILogger logger)
{
    private readonly ISerDes<PaymentFlagged> _flags = serDes.Value<PaymentFlagged>();
    private readonly ISerDes<FixPaymentRq> _fixes = serDes.Value<FixPaymentRq>();
    private readonly ISerDes<PaymentFlagCleared> _clearings = serDes.Value<PaymentFlagCleared>();
    private readonly string _prefix = PaymentPlan.Prefix(options.RunId);
    private readonly ConcurrentDictionary<(string PaymentId, string Rule), DetectedFlag> _detected = new();
    private readonly ConcurrentDictionary<string, string> _cleared = new(StringComparer.Ordinal); // flag id → rule
    private long _lastFlagTicks = DateTime.UtcNow.Ticks;

    /// <summary>The consumer group: one per run.</summary>
    public string GroupId => $"otto-sim-flags-{options.RunId}";

    public IReadOnlyList<string> Topics => [topics.PaymentFlagged, topics.FixPaymentRq, topics.PaymentFlagCleared, topics.DeadLetter];

    /// <summary>Every (payment, rule) detected so far.</summary>
    public IReadOnlyCollection<DetectedFlag> Detected => [.. _detected.Values];

    /// <summary>Distinct payments of this run detected by any rule.</summary>
    public int PaymentsFlagged => _detected.Keys.Select(k => k.PaymentId).Distinct().Count();

    /// <summary>Distinct flags cleared, per rule.</summary>
    public IReadOnlyDictionary<string, int> ClearedByRule => _cleared.Values.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>When a (payment, rule) was last detected for the first time (UTC); the watcher's start before that.</summary>
    public DateTime LastNewFlag => new(Interlocked.Read(ref _lastFlagTicks), DateTimeKind.Utc);

    /// <summary>True when <paramref name="rule"/> detected <paramref name="paymentId"/>.</summary>
    public bool Has(string paymentId, string rule) => _detected.ContainsKey((paymentId, rule));

    public void Handle(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Topic == topics.DeadLetter)
        {
            if (record.Message.Key is { } key && Encoding.UTF8.GetString(key).StartsWith(_prefix, StringComparison.Ordinal))
                counters.DeadLetterSeen();
            return;
        }
        if (record.Message.Value is not { } bytes) return;
        var context = new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers);
        if (record.Topic == topics.PaymentFlagCleared)
        {
            var cleared = _clearings.Deserialize(bytes, context);
            if (cleared.PaymentId.StartsWith(_prefix, StringComparison.Ordinal) && _cleared.TryAdd(cleared.FlagId, cleared.Rule))
                logger.LogInformation("cleared: {FlagId} {Reason}", cleared.FlagId, cleared.Reason);
            return;
        }
        string paymentId, rule, detail;
        FlagReason reason;
        var byFix = record.Topic == topics.FixPaymentRq;
        if (byFix)
        {
            var fix = _fixes.Deserialize(bytes, context);
            (paymentId, rule, reason, detail) = (fix.PaymentId, fix.Rule, fix.Reason, $"fix {fix.Intent}: {fix.Detail}");
        }
        else
        {
            var flag = _flags.Deserialize(bytes, context);
            (paymentId, rule, reason, detail) = (flag.PaymentId, flag.Rule, flag.Reason, flag.Detail);
        }
        if (!paymentId.StartsWith(_prefix, StringComparison.Ordinal)) return;

        counters.FlagSeen();
        if (_detected.TryAdd((paymentId, rule), new DetectedFlag(paymentId, rule, reason, byFix)))
        {
            Interlocked.Exchange(ref _lastFlagTicks, DateTime.UtcNow.Ticks);
            logger.LogInformation("{Kind}: {PaymentId} {Rule} {Reason}: {Detail}", byFix ? "fix" : "flag", paymentId, rule, reason, detail);
        }
    }
}
