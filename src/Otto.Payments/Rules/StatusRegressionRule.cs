using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// StatusRegression: CPR reported a newer status (by occurred-at) that the lifecycle graph does not allow from the
/// current one, e.g. COMPLETED → PROCESSING. The model keeps the earlier status; a late fact (older occurred-at)
/// is out of order, not a regression.
/// </summary>
public sealed class StatusRegressionRule : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "StatusRegression";

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Every status fact: a status newer than the current one that the lifecycle graph does not allow (a terminal status left, or a step backwards).",
        "none",
        "Flags STATUS_REGRESSION with both statuses; the model keeps the earlier status. Cleared when CPR reports a status the lifecycle allows again.",
        [FlagReason.STATUS_REGRESSION],
        FixIntent.REVERT_STATUS, "CPR");

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) => state.Regression is { } regression
        ? RuleCheck.Violated(FlagReason.STATUS_REGRESSION,
            $"CPR reported {regression.From} → {regression.To} at {regression.At:O} (event {regression.EventId}); Otto keeps {regression.From}.")
        : RuleCheck.Absent;
}
