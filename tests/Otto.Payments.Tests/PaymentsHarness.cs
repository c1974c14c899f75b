using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments.Rules;
using Otto.DevSchemaRegistry;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Payments.Tests;

/// <summary>The payments topology in Streamiz's TopologyTestDriver (SYNC_TASK) with the in-process dev schema registry,
/// and helpers to speak for every source system. Only the rules named in the constructor run (all when none are named),
/// so a rule's tests see that rule's outputs alone. The driver's wall clock starts at <see cref="T0"/> and moves only
/// with <see cref="Advance"/> (see <see cref="DriverClock"/>).</summary>
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
    public TestOutputTopic<string, GetTrnRq> Requests { get; }
    public TestOutputTopic<string, FixPaymentRq> Fixes { get; }
    public TestOutputTopic<string, PaymentFlagged> Flags { get; }
    public TestOutputTopic<string, PaymentFlagCleared> Cleared { get; }
    private readonly DriverClock _clock;
    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-payments-tests-").FullName;
    // Streamiz's driver takes one input and one output per topic: a second CreateInputTopic/CreateOutputTopic for the
    // same topic throws. Inputs carry bytes, so a test can pipe a typed fact or raw bytes to any topic.
    private readonly Dictionary<string, TestInputTopic<byte[], byte[]>> _inputs = [];
    private readonly Dictionary<string, object> _outputs = [];
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
        // Its own state directory: tests run in parallel, and every driver's RocksDB stores would otherwise share
        // {StateDir}/otto-test/{task}.
        var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "otto-test", StateDir = _stateDir };
        Driver = new TopologyTestDriver(PaymentsTopology.Build(Options, SerDes), config, TopologyTestDriver.Mode.SYNC_TASK);
        _clock = new DriverClock(Driver);
        // Before the first input topic: a sub-topology's task (its processors' Init, their punctuation schedules and
        // the payment processor's start time) is created with the first input topic that feeds it.
        _clock.Move(T0 - _clock.Now);
        foreach (var topic in Topics.Inputs.Append(Topics.Accounts)) Input(topic);
        Requests = Output<GetTrnRq>(Topics.GetTrnRq);
        Fixes = Output<FixPaymentRq>(Topics.FixPaymentRq);
        Flags = Output<PaymentFlagged>(Topics.PaymentFlagged);
        Cleared = Output<PaymentFlagCleared>(Topics.PaymentFlagCleared);
    }

    /// <summary>The driver's wall clock (ProcessorContext.WallClockTime).</summary>
    public DateTimeOffset Now => _clock.Now;

    public string NextEventId() => $"evt-{++_eventIds}";

    /// <summary>The topic's output, read from where the last read stopped. Streamiz's IsEmpty and QueueSize throw
    /// in SYNC_TASK mode ("not available in synchronous mode"): tests read the records instead.</summary>
    public TestOutputTopic<string, T> Output<T>(string topic) where T : class, Avro.Specific.ISpecificRecord => Output(topic, SerDes.Value<T>());

    private TestOutputTopic<string, T> Output<T>(string topic, ISerDes<T> value)
    {
        if (!_outputs.TryGetValue(topic, out var output))
            // No consume timeout: in SYNC_TASK mode the records are there at once, and reading past the last one
            // would otherwise wait for the timeout.
            _outputs[topic] = output = Driver.CreateOutputTopic(topic, TimeSpan.Zero, SerDes.Key, value);
        return (TestOutputTopic<string, T>)output;
    }

    private TestInputTopic<byte[], byte[]> Input(string topic)
    {
        if (!_inputs.TryGetValue(topic, out var input))
            _inputs[topic] = input = Driver.CreateInputTopic(topic, new ByteArraySerDes(), new ByteArraySerDes());
        return input;
    }

    /// <summary>Runs <paramref name="send"/> and returns the <see cref="Otto.Payments.Model.InvalidFactException"/> the payment side threw
    /// on it. In a worker, Otto's dead-letter layer catches it at the processor and sends the record to the dead-letter
    /// topic (tested on the embedded cluster: Otto.Streams.Streamiz.Tests, DeadLetterEveryInputTests); Streamiz's
    /// synchronous test driver feeds records to the task directly, with no consumer whose bytes that layer could keep.</summary>
    public Otto.Payments.Model.InvalidFactException Rejects(Action send)
    {
        var error = Assert.ThrowsAny<Exception>(send);
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is Otto.Payments.Model.InvalidFactException invalid) return invalid;
        throw new Xunit.Sdk.XunitException($"expected an InvalidFactException, got {error}");
    }

    /// <summary>How old the records piped from now on are (their timestamp against the wall clock): set it past
    /// <see cref="PaymentsOptions.CatchUpLag"/> to pipe a backlog, as after a restart.</summary>
    public TimeSpan RecordAge { get; set; }

    /// <summary>Pipes a fact keyed by <paramref name="key"/> at the current wall-clock time (less <see cref="RecordAge"/>).</summary>
    public T Send<T>(string topic, string key, T fact) where T : class, Avro.Specific.ISpecificRecord
    {
        Input(topic).PipeInput(SerDes.Key.Serialize(key, new SerializationContext(MessageComponentType.Key, topic)),
            SerDes.Value<T>().Serialize(fact, new SerializationContext(MessageComponentType.Value, topic)), (Now - RecordAge).UtcDateTime);
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

    /// <summary>Moves the wall clock by <paramref name="by"/>, then runs the processing-time punctuations that became
    /// due (once each, as of the new time) and what they sent through internal topics.</summary>
    public void Advance(TimeSpan by)
    {
        _clock.Move(by);
        Driver.AdvanceWallClockTime(TimeSpan.Zero);
    }

    /// <summary>Reads the one flag published since the last read, checking its key and flag id
    /// (<c>{payment}:{rule}:{episode}</c>), rule, episode and reason.</summary>
    public PaymentFlagged SingleFlag(string paymentId, string rule, int episode, FlagReason reason)
    {
        var flag = Assert.Single(Flags.ReadKeyValueList());
        Assert.Equal((paymentId, $"{paymentId}:{rule}:{episode}", rule, episode, reason),
            (flag.Message.Key, flag.Message.Value.FlagId, flag.Message.Value.Rule, flag.Message.Value.Episode, flag.Message.Value.Reason));
        return flag.Message.Value;
    }

    /// <summary>Reads the one clearing published since the last read, checking its key, flag id, rule and reason.</summary>
    public PaymentFlagCleared SingleCleared(string paymentId, string rule, int episode, FlagReason reason)
    {
        var cleared = Assert.Single(Cleared.ReadKeyValueList());
        Assert.Equal((paymentId, $"{paymentId}:{rule}:{episode}", rule, reason),
            (cleared.Message.Key, cleared.Message.Value.FlagId, cleared.Message.Value.Rule, cleared.Message.Value.Reason));
        return cleared.Message.Value;
    }

    /// <summary>The payment's open flags in its model.</summary>
    public IReadOnlyList<FlagEntry> OpenFlags(string paymentId) => State(paymentId)?.Flags.Where(f => f.ClearedAt is null).ToList() ?? [];

    public PaymentState? State(string paymentId) => Driver.GetKeyValueStore<string, PaymentState>("payments").Get(paymentId);

    /// <summary>Where <paramref name="rule"/> stands for the payment (null: it never held).</summary>
    public RuleTrack? Track(string paymentId, string rule) => State(paymentId)?.Rules.Find(t => t.Rule == rule);

    public void Dispose()
    {
        Driver.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }
}
