using System.Globalization;
using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>LimitsNotRestored: a failed or cancelled payment whose consumed limits were not (fully) restored within the SLA.</summary>
public sealed class LimitsNotRestoredRule(PaymentsOptions options) : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "LimitsNotRestored";

    /// <summary>The SLA when none is configured.</summary>
    public static readonly TimeSpan DefaultSla = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Sweep: a FAILED or CANCELLED payment whose consumed limits exceed the restored ones for longer than its SLA since it failed.",
        $"Sla (default {DefaultSla}), SlaByRail",
        "Flags LIMITS_NOT_RESTORED with the outstanding amount. Cleared when LimitsUpdated restores them.",
        [FlagReason.LIMITS_NOT_RESTORED],
        FixIntent.RESTORE_LIMITS, "LIMITS");

    /// <inheritdoc />
    public bool IsTimed => true;

    /// <inheritdoc />
    public DateTimeOffset? DueAt(PaymentState state) =>
        state is { Status: PaymentStatus.FAILED or PaymentStatus.CANCELLED, Limits: { } limits } && limits.Consumed > limits.Restored
            ? state.StatusSince + options.Rule(Name).SlaFor(state.Rail, DefaultSla)
            : null;

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        DueAt(state) <= now
            ? RuleCheck.Violated(FlagReason.LIMITS_NOT_RESTORED,
                $"{state.Status} at {state.StatusSince:O}; {(state.Limits!.Consumed - state.Limits.Restored).ToString("0.00", CultureInfo.InvariantCulture)} of account {state.Limits.AccountId}'s limits still consumed.")
            : RuleCheck.Absent;
}
