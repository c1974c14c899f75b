using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Contracts.Reference;

namespace Otto.Payments.Rules;

/// <summary>
/// AccountNotActive: the reference table (a global table every instance holds, instead of a synchronous call to
/// the accounts service) said the debtor account was CLOSED or BLOCKED when CPR added the payment. An account
/// unknown to the table is not flagged (reference data may lag); see README.
/// </summary>
public sealed class AccountNotActiveRule : IPaymentRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "AccountNotActive";

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "PaymentAdded, joined to the Account global table by debtor account: the account is CLOSED or BLOCKED.",
        "none",
        "Flags ACCOUNT_NOT_ACTIVE. Cleared when the payment fails or is cancelled.",
        [FlagReason.ACCOUNT_NOT_ACTIVE],
        FixIntent.CANCEL_PAYMENT, "CPR");

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        state is { Added: true, DebtorAccountStatus: AccountStatus.CLOSED or AccountStatus.BLOCKED }
        && state.Status is not (PaymentStatus.FAILED or PaymentStatus.CANCELLED)
            ? RuleCheck.Violated(FlagReason.ACCOUNT_NOT_ACTIVE, $"Debtor account {state.DebtorAccount} was {state.DebtorAccountStatus} when the payment was added.")
            : RuleCheck.Absent;
}
