using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;

namespace Otto.Streams.Avro.Tests;

/// <summary>One populated instance of every generated record, with the JSON-ish value the reference
/// implementation should see (decimals as strings, timestamps as epoch millis).</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    public static PaymentAdded PaymentAdded() => new()
    {
        EventId = "evt-1",
        PaymentId = "pay-1",
        OccurredAt = T0,
        Rail = PaymentRail.SEPA,
        DebtorAccount = "DE001",
        CreditorAccount = "FR002 – ünïcode",
        Amount = -1234.56m,
        Currency = "EUR",
        Status = PaymentStatus.PENDING,
        Reference = null,
    };

    public static PaymentStatusChanged PaymentStatusChanged() => new()
    {
        EventId = "evt-2",
        PaymentId = "pay-1",
        OccurredAt = T0.AddSeconds(1),
        Status = PaymentStatus.COMPLETED,
        Reason = "settled",
    };

    public static GetTrnRq GetTrnRq() => new()
    {
        CorrelationId = "pay-1:stuck:1",
        PaymentId = "pay-1",
        Rule = "stuck",
        Attempt = int.MaxValue,
        RequestedAt = T0,
    };

    public static GetTrnRs GetTrnRs() => new()
    {
        CorrelationId = "pay-1:stuck:1",
        Found = true,
        CoreStatus = PaymentStatus.FAILED,
        CoreAmount = 0.01m,
        RespondedAt = T0.AddMilliseconds(-5),
    };

    public static PaymentFlagged PaymentFlagged() => new()
    {
        FlagId = "pay-1:stuck:1",
        PaymentId = "pay-1",
        Rule = "stuck",
        Reason = FlagReason.NO_CORE_REPLY,
        Detail = "",
        OttoStatus = PaymentStatus.PROCESSING,
        CoreStatus = null,
        RaisedAt = DateTimeOffset.UnixEpoch.AddMilliseconds(-1),
    };

    public static PaymentState PaymentState() => new()
    {
        PaymentId = "pay-1",
        Added = true,
        Rail = PaymentRail.SWIFT,
        Amount = 99999999999999.99m,
        Currency = null,
        Status = PaymentStatus.CANCELLED,
        StatusSince = T0,
        History = [new HistoryEntry { EventId = "evt-1", Type = "PaymentAdded", Source = "CPR", OccurredAt = T0, Outcome = "applied" }],
        Rules =
        [
            new RuleTrack
            {
                Rule = "r",
                Episode = -3,
                Phase = RulePhase.ASKING,
                Pending = new PendingRequest
                {
                    CorrelationId = "c",
                    Rule = "r",
                    Attempt = 2,
                    SentAt = T0,
                    DueAt = T0.AddMinutes(5),
                },
            },
        ],
        Settlements = [new SettlementEntry { SettlementId = "s", Amount = -0.01m, At = T0 }],
        RepliesIgnored = int.MinValue,
    };

    public static PaymentState EmptyPaymentState() => new() { PaymentId = "p" };

    /// <summary>Each sample with its generated type's schema, encoder and the reference-implementation view.</summary>
    public static Sample ByName(string name) => All().Single(s => s.Name == name);

    public static TheoryData<string> Names => new(All().Select(s => s.Name));

    public static IEnumerable<Sample> All()
    {
        yield return Sample.Of(PaymentAdded(), """
            {"eventId":"evt-1","sourceSystem":"CPR","paymentId":"pay-1","occurredAt":1700000000123,"rail":"SEPA","debtorAccount":"DE001",
             "creditorAccount":"FR002 – ünïcode","amount":"-1234.56","currency":"EUR","status":"PENDING","reference":null}
            """);
        yield return Sample.Of(PaymentStatusChanged(), """
            {"eventId":"evt-2","sourceSystem":"CPR","paymentId":"pay-1","occurredAt":1700000001123,"status":"COMPLETED","reason":"settled"}
            """);
        yield return Sample.Of(GetTrnRq(), """
            {"correlationId":"pay-1:stuck:1","paymentId":"pay-1","rule":"stuck","attempt":2147483647,"requestedAt":1700000000123}
            """);
        yield return Sample.Of(GetTrnRs(), """
            {"correlationId":"pay-1:stuck:1","found":true,"coreStatus":"FAILED","coreAmount":"0.01","respondedAt":1700000000118}
            """);
        yield return Sample.Of(PaymentFlagged(), """
            {"flagId":"pay-1:stuck:1","paymentId":"pay-1","rule":"stuck","reason":"NO_CORE_REPLY","detail":"",
             "ottoStatus":"PROCESSING","coreStatus":null,"raisedAt":-1,"episode":0,"surplus":null}
            """);
        yield return Sample.Of(PaymentState(), """
            {"paymentId":"pay-1","added":true,"addedAt":null,"rail":"SWIFT","debtorAccount":null,"creditorAccount":null,
             "amount":"99999999999999.99","currency":null,"debtorAccountStatus":null,"status":"CANCELLED","statusSince":1700000000123,
             "statuses":[],"regression":null,"core":null,"trnAddedAt":null,
             "settlements":[{"settlementId":"s","amount":"-0.01","at":1700000000123}],"reconAmount":null,"limits":null,"duplicateOf":null,
             "rules":[{"rule":"r","episode":-3,"phase":"ASKING",
               "pending":{"correlationId":"c","rule":"r","attempt":2,"sentAt":1700000000123,"dueAt":1700000300123}}],
             "flags":[],"history":[{"eventId":"evt-1","type":"PaymentAdded","source":"CPR","occurredAt":1700000000123,"outcome":"applied"}],
             "repliesIgnored":-2147483648,"sweepDueAt":null}
            """);
        yield return Sample.Of(EmptyPaymentState(), name: "PaymentState(empty)", expectedJson: """
            {"paymentId":"p","added":false,"addedAt":null,"rail":"DOMESTIC","debtorAccount":null,"creditorAccount":null,"amount":null,
             "currency":null,"debtorAccountStatus":null,"status":"ADDED","statusSince":-62135596800000,"statuses":[],"regression":null,
             "core":null,"trnAddedAt":null,"settlements":[],"reconAmount":null,"limits":null,"duplicateOf":null,"rules":[],"flags":[],
             "history":[],"repliesIgnored":0,"sweepDueAt":null}
            """);
    }
}

/// <summary>A generated value, type-erased for theory data.</summary>
internal sealed record Sample(string Name, string SchemaJson, byte[] Bytes, string ExpectedJson, Func<byte[], byte[]> DecodeAndReencode)
{
    public static Sample Of<T>(T value, string expectedJson, string? name = null) where T : class, Specific.IAvroRecord<T> =>
        new(name ?? T.Schema.Name, T.Schema.ToJson(), Specific.AvroRecord.ToBytes(value), expectedJson,
            bytes => Specific.AvroRecord.ToBytes(Specific.AvroRecord.FromBytes<T>(bytes)));

    public override string ToString() => Name;
}
