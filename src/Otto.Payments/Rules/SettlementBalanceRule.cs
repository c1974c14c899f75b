using System.Globalization;
using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// SettlementBalance: the partial settlements of a payment add up to more than its amount (over-settled, flagged at
/// once with the surplus), or to less once the payment has been completed for longer than the SLA (under-settled:
/// partial settlements may take a while to arrive).
/// </summary>
public sealed class SettlementBalanceRule(PaymentsOptions options) : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "SettlementBalance";

    /// <summary>How long after completion partial settlements may still be short.</summary>
    public static readonly TimeSpan DefaultSla = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Every fact and sweep: the sum of the payment's settlements exceeds its amount by more than the tolerance (at once), or falls short of it for longer than the SLA after completion.",
        $"Sla (default {DefaultSla}), SlaByRail, Tolerance (default 0.00), ToleranceByRail",
        "Flags OVER_SETTLED with the surplus, or UNDER_SETTLED with the shortfall. Cleared when the settlements balance; turning from under- to over-settled (or back) clears the flag and raises one of the new reason (a new episode).",
        [FlagReason.OVER_SETTLED, FlagReason.UNDER_SETTLED],
        FixIntent.RECONCILE_SETTLEMENT, "RECON");

    /// <inheritdoc />
    public bool IsTimed => true;

    /// <inheritdoc />
    public DateTimeOffset? DueAt(PaymentState state) =>
        state is { Amount: { } amount, Settlements.Count: > 0 }
            ? UnderSettledDue(state, amount, state.Settlements.Sum(s => s.Amount), options.Rule(Name).ToleranceFor(state.Rail, 0m))
            : null;

    // When a completed, short payment counts as under-settled (null: it is not short, or not completed).
    private DateTimeOffset? UnderSettledDue(PaymentState state, decimal amount, decimal settled, decimal tolerance) =>
        state.Status == PaymentStatus.COMPLETED && amount - settled > tolerance
            ? state.StatusSince + options.Rule(Name).SlaFor(state.Rail, DefaultSla)
            : null;

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now)
    {
        if (state.Amount is not { } amount || state.Settlements.Count == 0) return RuleCheck.Absent;
        var settled = state.Settlements.Sum(s => s.Amount);
        var rule = options.Rule(Name);
        var tolerance = rule.ToleranceFor(state.Rail, 0m);
        string Money(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);
        var count = state.Settlements.Count;

        if (settled - amount > tolerance)
            return RuleCheck.Violated(FlagReason.OVER_SETTLED,
                $"{count} settlement(s) total {Money(settled)} for a payment of {Money(amount)}: surplus {Money(settled - amount)}.", surplus: settled - amount);
        if (UnderSettledDue(state, amount, settled, tolerance) <= now)
            return RuleCheck.Violated(FlagReason.UNDER_SETTLED,
                $"{count} settlement(s) total {Money(settled)} for a payment of {Money(amount)}, completed at {state.StatusSince:O}: short by {Money(amount - settled)}.");
        return RuleCheck.Absent;
    }
}
