using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Cpr;
using Otto.Payments;
using Otto.Streams.SerDes;

namespace Otto.Simulator;

/// <summary>
/// CPR, the payment repository: publishes each payment's PaymentAdded and then its PaymentStatusChanged facts,
/// keyed by payment id, <see cref="SimulatorOptions.StepDelay"/> apart, starting payments at
/// <see cref="SimulatorOptions.PaymentsPerSecond"/>. Re-sends the planned duplicates with the same event id and
/// writes the poison records spread over the run. Counts a record once the broker has acknowledged it.
/// </summary>
internal sealed class CprPublisher(
    IReadOnlyList<SimulatedPayment> payments,
    SimulatorOptions options,
    PaymentTopics topics,
    PaymentsSerDes serDes,
    IProducer<string, byte[]> producer,
    CoreLedger ledger,
    SimulationCounters counters,
    ILogger logger)
{
    private readonly ISerDes<PaymentAdded> _added = serDes.Value<PaymentAdded>();
    private readonly ISerDes<PaymentStatusChanged> _changed = serDes.Value<PaymentStatusChanged>();
    private readonly DateTimeOffset[] _lastOccurredAt = new DateTimeOffset[payments.Count];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var poisonKeys = PaymentPlan.PoisonKeys(options);
        var poisonAt = PoisonPositions(payments.Count, poisonKeys.Count);
        var poisonSent = 0;
        var due = new PriorityQueue<(int Payment, int Step), (TimeSpan At, long Seq)>();
        long seq = 0;
        var next = 0;
        var clock = Stopwatch.StartNew();

        while (next < payments.Count || due.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = clock.Elapsed;
            while (next < payments.Count && StartOf(next) <= now)
            {
                while (poisonSent < poisonKeys.Count && poisonAt[poisonSent] <= next) SendPoison(poisonKeys[poisonSent], poisonSent++, cancellationToken);
                due.Enqueue((next, 0), (StartOf(next), seq++));
                next++;
            }
            while (due.TryPeek(out var step, out var at) && at.At <= now)
            {
                due.Dequeue();
                SendFact(payments[step.Payment], step.Payment, step.Step, cancellationToken);
                if (step.Step + 1 < payments[step.Payment].Lifecycle.Count)
                    due.Enqueue((step.Payment, step.Step + 1), (at.At + options.StepDelay, seq++));
            }

            var wake = TimeSpan.MaxValue;
            if (next < payments.Count) wake = StartOf(next);
            if (due.TryPeek(out _, out var first) && first.At < wake) wake = first.At;
            if (wake == TimeSpan.MaxValue) break;
            var wait = wake - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, cancellationToken);
        }
        while (poisonSent < poisonKeys.Count) SendPoison(poisonKeys[poisonSent], poisonSent++, cancellationToken);

        // Every record acknowledged (or failed) before publishing counts as complete.
        while (producer.Flush(TimeSpan.FromMilliseconds(200)) > 0) cancellationToken.ThrowIfCancellationRequested();
        logger.LogInformation("cpr: published {Payments} payments, {Events} events ({Duplicates} duplicates), {Poison} poison records in {Elapsed:0.0}s",
            counters.Payments, counters.Events, counters.Duplicates, counters.Poison, clock.Elapsed.TotalSeconds);
        if (counters.DeliveryFailures > 0) logger.LogWarning("cpr: {Failures} records were not delivered", counters.DeliveryFailures);
    }

    private TimeSpan StartOf(int payment) =>
        options.PaymentsPerSecond > 0 ? TimeSpan.FromSeconds(payment / options.PaymentsPerSecond) : TimeSpan.Zero;

    // Poison k goes out just before payment floor((k+1)·n/(p+1)), so they are spread over the run.
    private static int[] PoisonPositions(int payments, int poison) =>
        [.. Enumerable.Range(1, poison).Select(k => (int)((long)k * payments / (poison + 1)))];

    private void SendFact(SimulatedPayment payment, int position, int step, CancellationToken cancellationToken)
    {
        // Strictly increasing per payment: Otto ignores a status fact that is not newer than the current one.
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (occurredAt <= _lastOccurredAt[position]) occurredAt = _lastOccurredAt[position].AddMilliseconds(1);
        _lastOccurredAt[position] = occurredAt;

        var status = payment.Lifecycle[step];
        string topic;
        byte[] value;
        if (step == 0)
        {
            topic = topics.PaymentAdded;
            value = _added.Serialize(new PaymentAdded
            {
                EventId = payment.EventId(step),
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                Rail = payment.Rail,
                DebtorAccount = payment.DebtorAccount,
                CreditorAccount = payment.CreditorAccount,
                Amount = payment.Amount,
                Currency = payment.Currency,
                Status = status,
                Reference = $"otto-sim {options.RunId}",
            }, new SerializationContext(MessageComponentType.Value, topic));
        }
        else
        {
            topic = topics.PaymentStatusChanged;
            value = _changed.Serialize(new PaymentStatusChanged
            {
                EventId = payment.EventId(step),
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                Status = status,
            }, new SerializationContext(MessageComponentType.Value, topic));
        }

        ledger.CprPublished(payment.PaymentId, status);
        var message = new Message<string, byte[]> { Key = payment.PaymentId, Value = value };
        SimulatorClients.ProduceWithBackpressure(producer, topic, message, report => Delivered(report, isFirst: step == 0, isDuplicate: false), cancellationToken);
        if (payment.IsDuplicated(step))
            SimulatorClients.ProduceWithBackpressure(producer, topic, message, report => Delivered(report, isFirst: false, isDuplicate: true), cancellationToken);
    }

    private void SendPoison(string key, int index, CancellationToken cancellationToken)
    {
        // 0xFF where the Confluent wire format's magic byte 0 must be: no reader can mistake this for Avro.
        byte[] garbage = [0xFF, .. Encoding.UTF8.GetBytes($"poison {index} of otto-sim run {options.RunId}: not Avro")];
        SimulatorClients.ProduceWithBackpressure(producer, topics.PaymentAdded, new Message<string, byte[]> { Key = key, Value = garbage },
            report =>
            {
                if (Failed(report)) return;
                counters.PoisonPublished();
            }, cancellationToken);
    }

    private void Delivered(DeliveryReport<string, byte[]> report, bool isFirst, bool isDuplicate)
    {
        if (Failed(report)) return;
        counters.EventPublished();
        if (isFirst) counters.PaymentPublished();
        if (isDuplicate) counters.DuplicatePublished();
    }

    private bool Failed(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.Code == ErrorCode.NoError) return false;
        counters.DeliveryFailed();
        logger.LogWarning("cpr: {Topic} key {Key} not delivered: {Reason}", report.Topic, report.Message.Key, report.Error.Reason);
        return true;
    }
}
