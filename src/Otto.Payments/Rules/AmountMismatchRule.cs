using System.Globalization;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// AmountMismatch: the amounts CPR, WSO2 (TrnAdded or the core's reply) and Recon report for the payment differ by
/// more than the rail's tolerance, or CPR's and WSO2's currencies differ. Checked after every fact; any two known
/// amounts are compared, so a mismatch shows as soon as the second source reports.
/// </summary>
public sealed class AmountMismatchRule(PaymentsOptions options) : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "AmountMismatch";

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Every fact: two of CPR's amount, WSO2's amount (TrnAdded or GetTrnRs) and Recon's payment amount differ by more than the tolerance, or CPR's and WSO2's currencies differ.",
        "Tolerance (default 0.00), ToleranceByRail",
        "Flags AMOUNT_MISMATCH with every source's amount. Cleared when a corrected fact makes them agree.",
        [FlagReason.AMOUNT_MISMATCH],
        FixIntent.CORRECT_AMOUNT, "CPR");

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now)
    {
        var amounts = new (string Source, decimal? Amount)[] { ("CPR", state.Amount), ("WSO2", state.Core?.Amount), ("Recon", state.ReconAmount) }
            .Where(a => a.Amount is not null).ToList();
        var currencyDiffers = state.Currency is not null && state.Core?.Currency is { } core && core != state.Currency;
        if (amounts.Count < 2 && !currencyDiffers) return RuleCheck.Absent;

        var tolerance = options.Rule(Name).ToleranceFor(state.Rail, 0m);
        var spread = amounts.Count < 2 ? 0m : amounts.Max(a => a.Amount!.Value) - amounts.Min(a => a.Amount!.Value);
        if (spread <= tolerance && !currencyDiffers) return RuleCheck.Absent;
        var seen = string.Join(", ", amounts.Select(a => $"{a.Source} {a.Amount!.Value.ToString("0.00", CultureInfo.InvariantCulture)}"));
        return RuleCheck.Violated(FlagReason.AMOUNT_MISMATCH, currencyDiffers
            ? $"Currencies differ: CPR {state.Currency}, WSO2 {state.Core!.Currency}; amounts {seen}."
            : $"Amounts differ by {spread.ToString("0.00", CultureInfo.InvariantCulture)} (tolerance {tolerance.ToString("0.00", CultureInfo.InvariantCulture)}): {seen}.");
    }
}
