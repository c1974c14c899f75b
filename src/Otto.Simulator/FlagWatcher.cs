using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Streams.SerDes;

namespace Otto.Simulator;

/// <summary>
/// Watches Otto's output for this run: the distinct payments flagged on PaymentFlagged (with their reasons),
/// and the dead-letter records whose source key belongs to the run (its poison records among them).
/// </summary>
internal sealed class FlagWatcher(SimulatorOptions options, PaymentTopics topics, PaymentsSerDes serDes, SimulationCounters counters, ILogger logger)
{
    private readonly ISerDes<PaymentFlagged> _flags = serDes.Value<PaymentFlagged>();
    private readonly string _prefix = PaymentPlan.Prefix(options.RunId);
    private readonly ConcurrentDictionary<string, FlagReason> _flagged = new();
    private long _lastFlagTicks = DateTime.UtcNow.Ticks;

    /// <summary>The consumer group: one per run.</summary>
    public string GroupId => $"otto-sim-flags-{options.RunId}";

    public IReadOnlyList<string> Topics => [topics.PaymentFlagged, topics.DeadLetter];

    /// <summary>Flagged payments of this run and the reason of the first flag seen for each.</summary>
    public IReadOnlyDictionary<string, FlagReason> Flagged => _flagged;

    /// <summary>When a payment was last flagged for the first time (UTC); the watcher's start before that.</summary>
    public DateTime LastNewFlag => new(Interlocked.Read(ref _lastFlagTicks), DateTimeKind.Utc);

    public void Handle(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Topic == topics.DeadLetter)
        {
            if (record.Message.Key is { } key && Encoding.UTF8.GetString(key).StartsWith(_prefix, StringComparison.Ordinal))
                counters.DeadLetterSeen();
            return;
        }
        if (record.Message.Value is not { } bytes) return;
        var flag = _flags.Deserialize(bytes, new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers));
        if (!flag.PaymentId.StartsWith(_prefix, StringComparison.Ordinal)) return;

        counters.FlagSeen();
        if (_flagged.TryAdd(flag.PaymentId, flag.Reason))
        {
            Interlocked.Exchange(ref _lastFlagTicks, DateTime.UtcNow.Ticks);
            logger.LogInformation("flag: {PaymentId} {Reason}: {Detail}", flag.PaymentId, flag.Reason, flag.Detail);
        }
    }
}
