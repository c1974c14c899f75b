using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>MissingSettlement: a completed payment with no settlement from Recon within its SLA.</summary>
public sealed class MissingSettlementRule(PaymentsOptions options) : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "MissingSettlement";

    /// <summary>The SLA when none is configured.</summary>
    public static readonly TimeSpan DefaultSla = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Sweep: a COMPLETED payment with no PaymentSettled for longer than its SLA since it completed.",
        $"Sla (default {DefaultSla}), SlaByRail",
        "Flags MISSING_SETTLEMENT. Cleared when a settlement arrives.",
        [FlagReason.MISSING_SETTLEMENT],
        FixIntent.REQUEST_SETTLEMENT, "RECON");

    /// <inheritdoc />
    public bool IsTimed => true;

    /// <inheritdoc />
    public DateTimeOffset? DueAt(PaymentState state) =>
        state is { Added: true, Status: PaymentStatus.COMPLETED, Settlements.Count: 0 } ? state.StatusSince + options.Rule(Name).SlaFor(state.Rail, DefaultSla) : null;

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        DueAt(state) <= now ? RuleCheck.Violated(FlagReason.MISSING_SETTLEMENT, $"Completed at {state.StatusSince:O}; no settlement since.") : RuleCheck.Absent;
}
