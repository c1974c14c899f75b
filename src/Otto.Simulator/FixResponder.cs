using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Payments;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Simulator;

/// <summary>
/// The source systems' side of Otto's fixers: reads FixPaymentRq about this run's payments and answers FixPaymentRs
/// (applied) keyed by the idempotency key. A key is applied once: a second request with the same key (Otto re-sent
/// it after a restart) is acknowledged as already applied and changes nothing. Applying RESTORE_LIMITS means what
/// Limits would do: a LimitsUpdated RESTORED for the payment's amount, so Otto sees the condition resolve and clears
/// its flag. Other intents are acknowledged only (the simulated systems keep no state to correct). One consumer
/// thread calls <see cref="Handle"/>.
/// </summary>
internal sealed class FixResponder(
    SimulatorOptions options,
    IReadOnlyDictionary<string, SimulatedPayment> payments,
    PaymentTopics topics,
    PaymentsSerDes serDes,
    IProducer<string, byte[]> producer,
    SimulationCounters counters,
    ILogger logger)
{
    private readonly ISerDes<FixPaymentRq> _requests = serDes.Value<FixPaymentRq>();
    private readonly ISerDes<FixPaymentRs> _replies = serDes.Value<FixPaymentRs>();
    private readonly ISerDes<LimitsUpdated> _limits = serDes.Value<LimitsUpdated>();
    private readonly string _prefix = PaymentPlan.Prefix(options.RunId);
    private readonly HashSet<string> _applied = new(StringComparer.Ordinal);

    /// <summary>The consumer group: one per run.</summary>
    public string GroupId => $"otto-sim-fixes-{options.RunId}";

    public void Handle(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Message.Value is not { } bytes) return;
        var request = _requests.Deserialize(bytes, new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers));
        if (!request.PaymentId.StartsWith(_prefix, StringComparison.Ordinal)) return;
        var key = record.Message.Key is { } k ? Encoding.UTF8.GetString(k) : request.IdempotencyKey;

        string detail;
        if (_applied.Add(key))
        {
            detail = Apply(request);
            counters.FixApplied();
        }
        else
        {
            detail = "already applied (idempotency key seen before)";
            counters.FixRepeated();
        }
        var reply = new FixPaymentRs { IdempotencyKey = key, Applied = true, Detail = detail, RespondedAt = DateTimeOffset.UtcNow };
        Produce(topics.FixPaymentRs, key, _replies.Serialize(reply, new SerializationContext(MessageComponentType.Value, topics.FixPaymentRs)));
        logger.LogInformation("fix: {Key} {Intent} → {Detail}", key, request.Intent, detail);
    }

    private string Apply(FixPaymentRq request)
    {
        if (request.Intent != FixIntent.RESTORE_LIMITS || !payments.TryGetValue(request.PaymentId, out var payment))
            return $"{request.Intent} acknowledged by {request.TargetSystem}";
        var restored = new LimitsUpdated
        {
            EventId = $"{payment.PaymentId}/fix/{request.IdempotencyKey}",
            SourceSystem = "LIMITS",
            PaymentId = payment.PaymentId,
            OccurredAt = DateTimeOffset.UtcNow,
            AccountId = payment.DebtorAccount,
            Action = LimitsAction.RESTORED,
            Amount = payment.Amount,
        };
        Produce(topics.LimitsUpdated, payment.PaymentId, _limits.Serialize(restored, new SerializationContext(MessageComponentType.Value, topics.LimitsUpdated)));
        return $"restored {payment.Amount} on {payment.DebtorAccount}";
    }

    private void Produce(string topic, string key, byte[] value) =>
        SimulatorClients.ProduceWithBackpressure(producer, topic, new Message<string, byte[]> { Key = key, Value = value },
            report =>
            {
                if (report.Error.Code != ErrorCode.NoError) logger.LogWarning("fix: {Topic} {Key} not delivered: {Reason}", topic, key, report.Error.Reason);
            }, CancellationToken.None);
}
