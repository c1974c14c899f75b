using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.Streams;
using Otto.Streams.Avro.Registry;
using Otto.Streams.TestDriver;

namespace Otto.Payments.Tests;

/// <summary>The payments topology in a TopologyTestDriver with an in-memory schema registry, and helpers to
/// speak CPR and WSO2 to it.</summary>
internal sealed class PaymentsHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public PaymentsOptions Options { get; } = new()
    {
        Env = "test",
        StuckStatusSla = TimeSpan.FromMinutes(10),
        ReplyTimeout = TimeSpan.FromMinutes(1),
        MaxAttempts = 3,
        SweepInterval = TimeSpan.FromSeconds(10),
    };

    public PaymentTopics Topics { get; }
    public PaymentsSerDes SerDes { get; } = new(new InMemorySchemaRegistry(), autoRegisterSchemas: true);
    public TopologyTestDriver Driver { get; }
    public TestInputTopic<string, PaymentAdded> Added { get; }
    public TestInputTopic<string, PaymentStatusChanged> StatusChanged { get; }
    public TestInputTopic<string, GetTrnRs> Replies { get; }
    public TestOutputTopic<string, GetTrnRq> Requests { get; }
    public TestOutputTopic<string, PaymentFlagged> Flags { get; }
    public TestOutputTopic<string, byte[]> DeadLetters { get; }
    private int _eventIds;

    public PaymentsHarness()
    {
        Topics = new PaymentTopics(Options.Env);
        var config = new StreamConfig
        {
            ApplicationId = "otto-test",
            DeserializationErrors = ErrorHandling.DeadLetter,
            ProcessingErrors = ErrorHandling.DeadLetter,
            DeadLetterTopic = Topics.DeadLetter,
        };
        Driver = new TopologyTestDriver(PaymentsTopology.Build(Options, SerDes), config, T0);
        Added = Driver.CreateInputTopic(Topics.PaymentAdded, SerDes.Key, SerDes.Value<PaymentAdded>());
        StatusChanged = Driver.CreateInputTopic(Topics.PaymentStatusChanged, SerDes.Key, SerDes.Value<PaymentStatusChanged>());
        Replies = Driver.CreateInputTopic(Topics.GetTrnRs, SerDes.Key, SerDes.Value<GetTrnRs>());
        Requests = Driver.CreateOutputTopic(Topics.GetTrnRq, SerDes.Key, SerDes.Value<GetTrnRq>());
        Flags = Driver.CreateOutputTopic(Topics.PaymentFlagged, SerDes.Key, SerDes.Value<PaymentFlagged>());
        DeadLetters = Driver.CreateOutputTopic(Topics.DeadLetter, SerDes.Key, new Otto.Streams.SerDes.ByteArraySerDes());
    }

    public DateTimeOffset Now => Driver.Clock.GetUtcNow();

    public string NextEventId() => $"evt-{++_eventIds}";

    public PaymentAdded AddPayment(string paymentId, PaymentStatus status = PaymentStatus.PROCESSING, string? eventId = null)
    {
        var fact = new PaymentAdded
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = Now,
            Rail = PaymentRail.SEPA,
            DebtorAccount = "DE01",
            CreditorAccount = "DE02",
            Amount = 125.50m,
            Currency = "EUR",
            Status = status,
        };
        Added.PipeInput(paymentId, fact, Now);
        return fact;
    }

    public void ChangeStatus(string paymentId, PaymentStatus status, string? eventId = null) =>
        StatusChanged.PipeInput(paymentId, new PaymentStatusChanged
        {
            EventId = eventId ?? NextEventId(),
            PaymentId = paymentId,
            OccurredAt = Now,
            Status = status,
        }, Now);

    public void Reply(GetTrnRq request, bool found, PaymentStatus? coreStatus) =>
        Replies.PipeInput(request.CorrelationId, new GetTrnRs
        {
            CorrelationId = request.CorrelationId,
            Found = found,
            CoreStatus = coreStatus,
            RespondedAt = Now,
        }, Now);

    public void Advance(TimeSpan by) => Driver.AdvanceWallClockTime(by);

    public PaymentState? State(string paymentId) => Driver.GetKeyValueStore<string, PaymentState>("payments").Get(paymentId);

    public void Dispose() => Driver.Dispose();
}
