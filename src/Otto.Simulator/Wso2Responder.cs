using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Otto;
using Otto.Payments;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Simulator;

/// <summary>
/// WSO2 in front of the core: reads Otto's GetTrnRq and answers GetTrnRs from the <see cref="CoreLedger"/>,
/// keyed by the request's correlation id. Only requests about this run's payments are counted and answered;
/// a CoreSilent payment never gets an answer.
/// </summary>
internal sealed class Wso2Responder(
    SimulatorOptions options,
    PaymentTopics topics,
    PaymentsSerDes serDes,
    IProducer<string, byte[]> producer,
    CoreLedger ledger,
    SimulationCounters counters,
    ILogger logger)
{
    private readonly ISerDes<GetTrnRq> _requests = serDes.Value<GetTrnRq>();
    private readonly ISerDes<GetTrnRs> _replies = serDes.Value<GetTrnRs>();
    private readonly string _prefix = PaymentPlan.Prefix(options.RunId);

    /// <summary>The consumer group: one per run, so each run's WSO2 sees every request.</summary>
    public string GroupId => $"otto-sim-wso2-{options.RunId}";

    public void Handle(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (record.Message.Value is not { } bytes) return;
        var request = _requests.Deserialize(bytes, new SerializationContext(MessageComponentType.Value, record.Topic, record.Message.Headers));
        if (!request.PaymentId.StartsWith(_prefix, StringComparison.Ordinal)) return;

        counters.RequestSeen();
        var correlationId = record.Message.Key is { } key ? Encoding.UTF8.GetString(key) : request.CorrelationId;
        if (ledger.Answer(request.PaymentId) is not { } answer)
        {
            logger.LogDebug("wso2: no answer to {CorrelationId}", correlationId);
            return;
        }

        var reply = new GetTrnRs
        {
            CorrelationId = request.CorrelationId,
            Found = answer.Found,
            CoreStatus = answer.Status,
            CoreAmount = answer.Amount,
            RespondedAt = DateTimeOffset.UtcNow,
        };
        var value = _replies.Serialize(reply, new SerializationContext(MessageComponentType.Value, topics.GetTrnRs));
        SimulatorClients.ProduceWithBackpressure(producer, topics.GetTrnRs, new Message<string, byte[]> { Key = correlationId, Value = value },
            report =>
            {
                if (report.Error.Code == ErrorCode.NoError) counters.ReplySent();
                else logger.LogWarning("wso2: reply {CorrelationId} not delivered: {Reason}", correlationId, report.Error.Reason);
            }, CancellationToken.None);
        logger.LogDebug("wso2: {CorrelationId} → found={Found} status={Status} ({Lag:0} ms after the request)",
            correlationId, answer.Found, answer.Status, (reply.RespondedAt - request.RequestedAt).TotalMilliseconds);
    }
}
