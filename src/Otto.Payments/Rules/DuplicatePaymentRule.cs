using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// DuplicatePayment: the duplicate detector (keyed by debtor, creditor, amount and currency) saw an earlier
/// payment with the same details within the window; the later payment is flagged until it fails or is cancelled.
/// </summary>
public sealed class DuplicatePaymentRule : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "DuplicatePayment";

    /// <summary>The window when none is configured.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "PaymentAdded, re-keyed by debtor, creditor, amount and currency: another payment id with the same details was added within the window (by occurred-at).",
        $"Window (default {DefaultWindow})",
        "Flags DUPLICATE_PAYMENT on the later payment, naming the earlier one. Cleared when the later payment fails or is cancelled.",
        [FlagReason.DUPLICATE_PAYMENT],
        FixIntent.CANCEL_DUPLICATE, "CPR");

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        state.DuplicateOf is { } original && state.Status is not (PaymentStatus.FAILED or PaymentStatus.CANCELLED)
            ? RuleCheck.Violated(FlagReason.DUPLICATE_PAYMENT,
                $"Same debtor {state.DebtorAccount}, creditor {state.CreditorAccount}, amount {state.Amount} {state.Currency} as payment {original}.")
            : RuleCheck.Absent;
}
