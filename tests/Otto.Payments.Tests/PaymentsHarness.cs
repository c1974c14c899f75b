using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments.Rules;
using Otto.Streams;
using Otto.DevSchemaRegistry;
using Otto.Streams.TestDriver;

namespace Otto.Payments.Tests;

/// <summary>The payments topology in a TopologyTestDriver with the in-process dev schema registry, and helpers to
/// speak for every source system. Only the rules named in the constructor run (all when none are named), so a
/// rule's tests see that rule's outputs alone.</summary>
internal sealed class PaymentsHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public PaymentsOptions Options { get; } = new()
    {
        Env = "test",
        ReplyTimeout = TimeSpan.FromMinutes(1),
        MaxAttempts = 3,
        SweepInterval = TimeSpan.FromSeconds(10),
    };

    public PaymentTopics Topics { get; }
    public PaymentsSerDes SerDes { get; } = new(InProcessRegistry.Client, autoRegisterSchemas: true);
    public TopologyTestDriver Driver { get; }
    public TestInputTopic<string, PaymentAdded> Added { get; }
    public TestInputTopic<string, PaymentStatusChanged> StatusChanged { get; }
    public TestInputTopic<string, GetTrnRs> Replies { get; }
    public TestOutputTopic<string, GetTrnRq> Requests { get; }
    public TestOutputTopic<string, FixPaymentRq> Fixes { get; }
    public TestOutputTopic<string, PaymentFlagged> Flags { get; }
    public TestOutputTopic<string, PaymentFlagCleared> Cleared { get; }
    public TestOutputTopic<string, byte[]> DeadLetters { get; }
    private int _eventIds;

    /// <param name="rules">The rules to run; all when empty.</param>
    public PaymentsHarness(params string[] rules) : this(_ => { }, rules) { }

    /// <param name="configure">Changes to the options before the topology is built (SLAs, actions).</param>
    /// <param name="rules">The rules to run; all when empty.</param>
    public PaymentsHarness(Action<PaymentsOptions> configure, params string[] rules)
    {
        Options.Rules[StuckStatusRule.Name] = new RuleOptions { Sla = TimeSpan.FromMinutes(10) };
        foreach (var name in PaymentRules.Names.Where(n => rules.Length > 0 && !rules.Contains(n)))
            Options.Rules[name] = new RuleOptions { Enabled = false };
        configure(Options);
        Topics = new PaymentTopics(Options.Env);
        var config = new StreamConfig
        {
            ApplicationId = "otto-test",
            DeserializationErrors = ErrorHandling.DeadLetter,
            ProcessingErrors = ErrorHandling.DeadLetter,
            DeadLetterTopic = Topics.DeadLetter,
        };
        Driver = new TopologyTestDriver(PaymentsTopology.Build(Options, SerDes), config, T0);
        Added = Input<PaymentAdded>(Topics.PaymentAdded);
        StatusChanged = Input<PaymentStatusChanged>(Topics.PaymentStatusChanged);
        Replies = Input<GetTrnRs>(Topics.GetTrnRs);
        Requests = Output<GetTrnRq>(Topics.GetTrnRq);
        Fixes = Output<FixPaymentRq>(Topics.FixPaymentRq);
        Flags = Output<PaymentFlagged>(Topics.PaymentFlagged);
        Cleared = Output<PaymentFlagCleared>(Topics.PaymentFlagCleared);
        DeadLetters = Driver.CreateOutputTopic(Topics.DeadLetter, SerDes.Key, new Otto.Streams.SerDes.ByteArraySerDes());
    }

    public DateTimeOffset Now => Driver.Clock.GetUtcNow();

    public string NextEventId() => $"evt-{++_eventIds}";

    public TestInputTopic<string, T> Input<T>(string topic) where T : class, Avro.Specific.ISpecificRecord =>
        Driver.CreateInputTopic(topic, SerDes.Key, SerDes.Value<T>());

    public TestOutputTopic<string, T> Output<T>(string topic) where T : class, Avro.Specific.ISpecificRecord =>
        Driver.CreateOutputTopic(topic, SerDes.Key, SerDes.Value<T>());

    /// <summary>How old the records piped from now on are (their timestamp against the wall clock): set it past
    /// <see cref="PaymentsOptions.CatchUpLag"/> to pipe a backlog, as after a restart.</summary>
    public TimeSpan RecordAge { get; set; }

    /// <summary>Pipes a fact keyed by <paramref name="key"/> at the current wall-clock time (less <see cref="RecordAge"/>).</summary>
    public T Send<T>(string topic, string key, T fact) where T : class, Avro.Specific.ISpecificRecord
    {
        Input<T>(topic).PipeInput(key, fact, Now - RecordAge);
        return fact;
    }

    public PaymentAdded AddPayment(string paymentId, PaymentStatus status = PaymentStatus.PROCESSING, string? eventId = null,
        decimal amount = 125.50m, string debtor = "DE01", string creditor = "DE02", DateTimeOffset? at = null) =>
        Send(Topics.PaymentAdded, paymentId, new PaymentAdded
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = at ?? Now,
            Rail = PaymentRail.SEPA,
            DebtorAccount = debtor,
            CreditorAccount = creditor,
            Amount = amount,
            Currency = "EUR",
            Status = status,
        });

    public void ChangeStatus(string paymentId, PaymentStatus status, string? eventId = null, DateTimeOffset? at = null) =>
        Send(Topics.PaymentStatusChanged, paymentId, new PaymentStatusChanged
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = at ?? Now,
            Status = status,
        });

    public void Cancel(string paymentId, DateTimeOffset? at = null, string? eventId = null) =>
        Send(Topics.PaymentCancelled, paymentId, new PaymentCancelled { EventId = eventId ?? NextEventId(), PaymentId = paymentId, OccurredAt = at ?? Now, Reason = "customer" });

    public void BookInCore(string paymentId, decimal amount = 125.50m, string currency = "EUR", PaymentStatus status = PaymentStatus.PROCESSING,
        string? eventId = null, DateTimeOffset? at = null) =>
        Send(Topics.TrnAdded, paymentId, new TrnAdded
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = at ?? Now,
            TransactionId = $"trn-{paymentId}",
            Amount = amount,
            Currency = currency,
            CoreStatus = status,
        });

    public void Settle(string paymentId, string settlementId, decimal settled, decimal paymentAmount = 125.50m, string? eventId = null, DateTimeOffset? at = null) =>
        Send(Topics.PaymentSettled, paymentId, new PaymentSettled
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = at ?? Now,
            SettlementId = settlementId,
            SettledAmount = settled,
            PaymentAmount = paymentAmount,
            Currency = "EUR",
        });

    public void Limits(string paymentId, LimitsAction action, decimal amount = 125.50m, string? eventId = null, DateTimeOffset? at = null) =>
        Send(Topics.LimitsUpdated, paymentId, new LimitsUpdated
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = at ?? Now,
            AccountId = "DE01",
            Action = action,
            Amount = amount,
        });

    public void Account(string accountId, AccountStatus status) =>
        Send(Topics.Accounts, accountId, new Account { AccountId = accountId, Status = status, UpdatedAt = Now });

    public void Reply(GetTrnRq request, bool found, PaymentStatus? coreStatus, decimal? coreAmount = null) =>
        Send(Topics.GetTrnRs, request.CorrelationId, new GetTrnRs
        {
            CorrelationId = request.CorrelationId,
            Found = found,
            CoreStatus = coreStatus,
            CoreAmount = coreAmount,
            RespondedAt = Now,
        });

    public void FixReply(string idempotencyKey, bool applied, string? detail = null) =>
        Send(Topics.FixPaymentRs, idempotencyKey, new FixPaymentRs { IdempotencyKey = idempotencyKey, Applied = applied, Detail = detail, RespondedAt = Now });

    public void Advance(TimeSpan by) => Driver.AdvanceWallClockTime(by);

    /// <summary>Reads the one flag published since the last read, checking its key and flag id
    /// (<c>{payment}:{rule}:{episode}</c>), rule, episode and reason.</summary>
    public PaymentFlagged SingleFlag(string paymentId, string rule, int episode, FlagReason reason)
    {
        var flag = Assert.Single(Flags.ReadRecordsToList());
        Assert.Equal((paymentId, $"{paymentId}:{rule}:{episode}", rule, episode, reason),
            (flag.Key, flag.Value.FlagId, flag.Value.Rule, flag.Value.Episode, flag.Value.Reason));
        return flag.Value;
    }

    /// <summary>Reads the one clearing published since the last read, checking its key, flag id, rule and reason.</summary>
    public PaymentFlagCleared SingleCleared(string paymentId, string rule, int episode, FlagReason reason)
    {
        var cleared = Assert.Single(Cleared.ReadRecordsToList());
        Assert.Equal((paymentId, $"{paymentId}:{rule}:{episode}", rule, reason),
            (cleared.Key, cleared.Value.FlagId, cleared.Value.Rule, cleared.Value.Reason));
        return cleared.Value;
    }

    /// <summary>The payment's open flags in its model.</summary>
    public IReadOnlyList<FlagEntry> OpenFlags(string paymentId) => State(paymentId)?.Flags.Where(f => f.ClearedAt is null).ToList() ?? [];

    public PaymentState? State(string paymentId) => Driver.GetKeyValueStore<string, PaymentState>("payments").Get(paymentId);

    /// <summary>Where <paramref name="rule"/> stands for the payment (null: it never held).</summary>
    public RuleTrack? Track(string paymentId, string rule) => State(paymentId)?.Rules.Find(t => t.Rule == rule);

    public void Dispose() => Driver.Dispose();
}
