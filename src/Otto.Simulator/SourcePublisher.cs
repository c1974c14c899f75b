using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Simulator;

/// <summary>
/// The source systems' publishing side: first the reference data (every debtor account of the run), then, after
/// <see cref="SimulatorOptions.AccountsLead"/>, each payment's script — CPR's PaymentAdded, PaymentStatusChanged and
/// PaymentCancelled, WSO2's TrnAdded, Recon's PaymentSettled, Limits' LimitsUpdated — keyed by payment id,
/// <see cref="SimulatorOptions.StepDelay"/> apart, starting payments at <see cref="SimulatorOptions.PaymentsPerSecond"/>.
/// Re-sends the planned duplicates with the same event id and writes the poison records spread over the run.
/// Counts a record once the broker has acknowledged it.
/// </summary>
internal sealed class SourcePublisher(
    IReadOnlyList<SimulatedPayment> payments,
    SimulatorOptions options,
    PaymentTopics topics,
    PaymentsSerDes serDes,
    IProducer<string, byte[]> producer,
    CoreLedger ledger,
    SimulationCounters counters,
    PublishOrder order,
    ILogger logger)
{
    private readonly ISerDes<PaymentAdded> _added = serDes.Value<PaymentAdded>();
    private readonly ISerDes<PaymentStatusChanged> _changed = serDes.Value<PaymentStatusChanged>();
    private readonly ISerDes<PaymentCancelled> _cancelled = serDes.Value<PaymentCancelled>();
    private readonly ISerDes<TrnAdded> _trnAdded = serDes.Value<TrnAdded>();
    private readonly ISerDes<PaymentSettled> _settled = serDes.Value<PaymentSettled>();
    private readonly ISerDes<LimitsUpdated> _limits = serDes.Value<LimitsUpdated>();
    private readonly ISerDes<Account> _accounts = serDes.Value<Account>();
    private readonly DateTimeOffset[] _lastOccurredAt = new DateTimeOffset[payments.Count];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await PublishAccountsAsync(cancellationToken);

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
                if (step.Step + 1 < payments[step.Payment].Script.Count)
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
        logger.LogInformation("sources: published {Payments} payments, {Events} events ({Duplicates} duplicates), {Poison} poison records in {Elapsed:0.0}s",
            counters.Payments, counters.Events, counters.Duplicates, counters.Poison, clock.Elapsed.TotalSeconds);
        if (counters.DeliveryFailures > 0) logger.LogWarning("sources: {Failures} records were not delivered", counters.DeliveryFailures);
    }

    // Reference data comes first and is acknowledged before the lead time starts: payments against these accounts
    // must find them in Otto's global table.
    private async Task PublishAccountsAsync(CancellationToken cancellationToken)
    {
        var accounts = PaymentPlan.Accounts(payments);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var (accountId, status) in accounts)
        {
            var value = _accounts.Serialize(new Account { AccountId = accountId, Status = status, UpdatedAt = now },
                new SerializationContext(MessageComponentType.Value, topics.Accounts));
            SimulatorClients.ProduceWithBackpressure(producer, topics.Accounts, new Message<string, byte[]> { Key = accountId, Value = value },
                report =>
                {
                    if (!Failed(report)) counters.AccountPublished();
                }, cancellationToken);
        }
        while (producer.Flush(TimeSpan.FromMilliseconds(200)) > 0) cancellationToken.ThrowIfCancellationRequested();
        logger.LogInformation("reference data: {Accounts} accounts ({Closed} closed)", accounts.Count, accounts.Count(a => a.Status != AccountStatus.ACTIVE));
        if (options.AccountsLead > TimeSpan.Zero) await Task.Delay(options.AccountsLead, cancellationToken);
    }

    private TimeSpan StartOf(int payment) =>
        options.PaymentsPerSecond > 0 ? TimeSpan.FromSeconds(payment / options.PaymentsPerSecond) : TimeSpan.Zero;

    // Poison k goes out just before payment floor((k+1)·n/(p+1)), so they are spread over the run.
    private static int[] PoisonPositions(int payments, int poison) =>
        [.. Enumerable.Range(1, poison).Select(k => (int)((long)k * payments / (poison + 1)))];

    private void SendFact(SimulatedPayment payment, int position, int step, CancellationToken cancellationToken)
    {
        // Strictly increasing per payment: Otto orders a payment's facts by occurred-at.
        var occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (occurredAt <= _lastOccurredAt[position]) occurredAt = _lastOccurredAt[position].AddMilliseconds(1);
        _lastOccurredAt[position] = occurredAt;

        var fact = payment.Script[step];
        var eventId = payment.EventId(step);
        var (topic, value) = fact switch
        {
            FactStep.Added => Serialize(_added, topics.PaymentAdded, new PaymentAdded
            {
                EventId = eventId,
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                Rail = payment.Rail,
                DebtorAccount = payment.DebtorAccount,
                CreditorAccount = payment.CreditorAccount,
                Amount = payment.Amount,
                Currency = payment.Currency,
                Status = Contracts.PaymentStatus.ADDED,
                Reference = $"otto-sim {options.RunId}",
            }),
            FactStep.StatusChanged changed => Serialize(_changed, topics.PaymentStatusChanged,
                new PaymentStatusChanged { EventId = eventId, PaymentId = payment.PaymentId, OccurredAt = occurredAt, Status = changed.Status }),
            FactStep.Cancelled => Serialize(_cancelled, topics.PaymentCancelled,
                new PaymentCancelled { EventId = eventId, PaymentId = payment.PaymentId, OccurredAt = occurredAt, Reason = "cancelled by the customer" }),
            FactStep.TrnAdded trn => Serialize(_trnAdded, topics.TrnAdded, new TrnAdded
            {
                EventId = eventId,
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                TransactionId = $"trn-{payment.PaymentId}",
                Amount = trn.Amount,
                Currency = payment.Currency,
                CoreStatus = Contracts.PaymentStatus.PROCESSING,
            }),
            FactStep.Settled settled => Serialize(_settled, topics.PaymentSettled, new PaymentSettled
            {
                EventId = eventId,
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                SettlementId = $"{payment.PaymentId}/s{settled.Part}",
                SettledAmount = settled.Amount,
                PaymentAmount = payment.Amount,
                Currency = payment.Currency,
            }),
            FactStep.Limits limits => Serialize(_limits, topics.LimitsUpdated, new LimitsUpdated
            {
                EventId = eventId,
                PaymentId = payment.PaymentId,
                OccurredAt = occurredAt,
                AccountId = payment.DebtorAccount,
                Action = limits.Action,
                Amount = payment.Amount,
            }),
            _ => throw new InvalidOperationException($"Unknown fact {fact}."),
        };

        var cprStatus = fact switch
        {
            FactStep.Added => Contracts.PaymentStatus.ADDED,
            FactStep.StatusChanged c => c.Status,
            FactStep.Cancelled => Contracts.PaymentStatus.CANCELLED,
            _ => (Contracts.PaymentStatus?)null,
        };
        if (cprStatus is { } status) ledger.CprPublished(payment.PaymentId, status);
        var message = new Message<string, byte[]> { Key = payment.PaymentId, Value = value };
        order.Sent(position);
        SimulatorClients.ProduceWithBackpressure(producer, topic, message, report => Delivered(report, position, isFirst: step == 0, isDuplicate: false), cancellationToken);
        if (payment.IsDuplicated(step))
            SimulatorClients.ProduceWithBackpressure(producer, topic, message, report => Delivered(report, position, isFirst: false, isDuplicate: true), cancellationToken);
    }

    private static (string Topic, byte[] Value) Serialize<T>(ISerDes<T> serDes, string topic, T value) =>
        (topic, serDes.Serialize(value, new SerializationContext(MessageComponentType.Value, topic)));

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

    private void Delivered(DeliveryReport<string, byte[]> report, int position, bool isFirst, bool isDuplicate)
    {
        if (Failed(report)) return;
        order.Delivered(position, report.Partition.Value);
        counters.EventPublished();
        if (isFirst) counters.PaymentPublished();
        if (isDuplicate) counters.DuplicatePublished();
    }

    private bool Failed(DeliveryReport<string, byte[]> report)
    {
        if (report.Error.Code == ErrorCode.NoError) return false;
        counters.DeliveryFailed();
        logger.LogWarning("sources: {Topic} key {Key} not delivered: {Reason}", report.Topic, report.Message.Key, report.Error.Reason);
        return true;
    }
}
