using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// StatusRegression: CPR reported a status that the lifecycle graph does not allow after the status before it in
/// occurred-at order, e.g. COMPLETED → PROCESSING. The model skips it and keeps the earlier status; a late fact with an
/// older occurred-at that lies on the path already taken (PENDING arriving after COMPLETED) is stale, not a regression.
/// </summary>
public sealed class StatusRegressionRule : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "StatusRegression";

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Every status fact: a status the lifecycle graph does not allow after the status before it by occurred-at (a terminal status left, or a step backwards); a late status on the path already taken is stale, not a regression.",
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
