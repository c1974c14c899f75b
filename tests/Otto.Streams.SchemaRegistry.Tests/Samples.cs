using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;

namespace Otto.Streams.SchemaRegistry.Tests;

/// <summary>Records of the kinds the payments topology reads and writes, with every kind of field filled in.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_763_700_000_123);

    public static PaymentAdded Added() => new()
    {
        EventId = "evt-1",
        PaymentId = "pay-1",
        OccurredAt = At,
        Rail = PaymentRail.SEPA,
        DebtorAccount = "DE89370400440532013000",
        CreditorAccount = "FR1420041010050500013M02606",
        Amount = 1234.50m,
        Currency = "EUR",
        Status = PaymentStatus.PENDING,
        Reference = "invoice 2026-11",
    };

    public static PaymentState State()
    {
        var state = new PaymentState { PaymentId = "pay-1", Added = true, AddedAt = At, Amount = 10.00m, Currency = "EUR", Status = PaymentStatus.PROCESSING, StatusSince = At };
        state.Statuses.Add(new StatusEntry { Status = PaymentStatus.PENDING, At = At, EventId = "e1", Applied = true });
        state.Settlements.Add(new SettlementEntry { SettlementId = "s1", Amount = 5.00m, At = At });
        state.Rules.Add(new RuleTrack { Rule = "StuckStatus", Episode = 1, Phase = RulePhase.ASKING,
            Pending = new PendingRequest { CorrelationId = "pay-1:StuckStatus:1:1", Rule = "StuckStatus", Attempt = 1, SentAt = At, DueAt = At.AddMinutes(1) } });
        state.Flags.Add(new FlagEntry { FlagId = "pay-1:AmountMismatch:1", Rule = "AmountMismatch", Episode = 1, Reason = FlagReason.AMOUNT_MISMATCH, Detail = "x", RaisedAt = At });
        state.History.Add(new HistoryEntry { EventId = "e1", Type = "PaymentAdded", Source = "CPR", OccurredAt = At, Outcome = "applied" });
        return state;
    }
}
