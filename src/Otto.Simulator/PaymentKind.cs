using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Simulator;

/// <summary>How a simulated payment behaves in the source systems and in the core: the ground truth Otto is
/// measured against. <see cref="PaymentScripts"/> turns a kind into the facts each system publishes.</summary>
public enum PaymentKind
{
    /// <summary>ADDED → PENDING → PROCESSING → COMPLETED quickly: limits consumed, TrnAdded with the same amount,
    /// settled in full (in one or two parts), debtor account ACTIVE. Nothing to flag.</summary>
    Normal,

    /// <summary>Stops at PROCESSING and the core also says PROCESSING: slow, not inconsistent. Must not be flagged.</summary>
    SlowButConsistent,

    /// <summary>Fails, and Limits restores what it consumed. Must not be flagged.</summary>
    FailedRestored,

    /// <summary>Cancelled by CPR while PENDING, limits restored. Must not be flagged.</summary>
    Cancelled,

    /// <summary>Anomaly: CPR stops at PROCESSING, the core says COMPLETED (StuckStatus STATUS_MISMATCH).</summary>
    StuckMismatch,

    /// <summary>Anomaly: CPR stops at PENDING, WSO2 never reports TrnAdded and the core has no transaction
    /// (StuckStatus NOT_FOUND_IN_CORE and MissingCoreTransaction MISSING_CORE_TRANSACTION).</summary>
    MissingInCore,

    /// <summary>Anomaly: CPR stops at PROCESSING and WSO2 never answers (StuckStatus NO_CORE_REPLY after retries).</summary>
    CoreSilent,

    /// <summary>Anomaly: WSO2's TrnAdded carries another amount than CPR's (AmountMismatch).</summary>
    AmountMismatch,

    /// <summary>Anomaly: completed, never settled (MissingSettlement).</summary>
    MissingSettlement,

    /// <summary>Anomaly: completed, its partial settlements add up to less than the amount (SettlementBalance UNDER_SETTLED).</summary>
    UnderSettled,

    /// <summary>Anomaly: completed, its partial settlements add up to more than the amount (SettlementBalance OVER_SETTLED).</summary>
    OverSettled,

    /// <summary>Anomaly: a second payment with an earlier normal payment's debtor, creditor, amount and currency,
    /// added right after it (DuplicatePayment, on this later payment only).</summary>
    DuplicatePayment,

    /// <summary>Anomaly: COMPLETED, then CPR reports a newer PROCESSING (StatusRegression).</summary>
    StatusRegression,

    /// <summary>Anomaly: fails, Limits consumed and never restores (LimitsNotRestored).</summary>
    LimitsNotRestored,

    /// <summary>Anomaly: the debtor account is CLOSED in the reference data (AccountNotActive).</summary>
    AccountNotActive,
}

/// <summary>A flag Otto must raise for a payment: the rule and the reason.</summary>
/// <param name="Rule">The rule's name (see <see cref="PaymentRules.Names"/>).</param>
/// <param name="Reason">The reason it must give.</param>
public sealed record ExpectedFlag(string Rule, FlagReason Reason);

/// <summary>The ground truth that follows from a <see cref="PaymentKind"/>.</summary>
public static class PaymentKinds
{
    /// <summary>The injected anomalies, in the order they are dealt.</summary>
    public static IReadOnlyList<PaymentKind> Anomalies { get; } =
    [
        PaymentKind.StuckMismatch, PaymentKind.MissingInCore, PaymentKind.CoreSilent, PaymentKind.AmountMismatch,
        PaymentKind.MissingSettlement, PaymentKind.UnderSettled, PaymentKind.OverSettled, PaymentKind.DuplicatePayment,
        PaymentKind.StatusRegression, PaymentKind.LimitsNotRestored, PaymentKind.AccountNotActive,
    ];

    /// <summary>Payments that look suspicious for a while but are fine, in the order they are dealt.</summary>
    public static IReadOnlyList<PaymentKind> Benign { get; } = [PaymentKind.SlowButConsistent, PaymentKind.FailedRestored, PaymentKind.Cancelled];

    /// <summary>True for kinds Otto must flag.</summary>
    public static bool IsAnomaly(this PaymentKind kind) => kind.Expected().Count > 0;

    /// <summary>The flags Otto must raise for a payment of this kind (none for the others): every rule in the set
    /// must flag it, and no other rule may.</summary>
    public static IReadOnlyList<ExpectedFlag> Expected(this PaymentKind kind) => kind switch
    {
        PaymentKind.StuckMismatch => [new(StuckStatusRule.Name, FlagReason.STATUS_MISMATCH)],
        PaymentKind.MissingInCore =>
            [new(StuckStatusRule.Name, FlagReason.NOT_FOUND_IN_CORE), new(MissingCoreTransactionRule.Name, FlagReason.MISSING_CORE_TRANSACTION)],
        PaymentKind.CoreSilent => [new(StuckStatusRule.Name, FlagReason.NO_CORE_REPLY)],
        PaymentKind.AmountMismatch => [new(AmountMismatchRule.Name, FlagReason.AMOUNT_MISMATCH)],
        PaymentKind.MissingSettlement => [new(MissingSettlementRule.Name, FlagReason.MISSING_SETTLEMENT)],
        PaymentKind.UnderSettled => [new(SettlementBalanceRule.Name, FlagReason.UNDER_SETTLED)],
        PaymentKind.OverSettled => [new(SettlementBalanceRule.Name, FlagReason.OVER_SETTLED)],
        PaymentKind.DuplicatePayment => [new(DuplicatePaymentRule.Name, FlagReason.DUPLICATE_PAYMENT)],
        PaymentKind.StatusRegression => [new(StatusRegressionRule.Name, FlagReason.STATUS_REGRESSION)],
        PaymentKind.LimitsNotRestored => [new(LimitsNotRestoredRule.Name, FlagReason.LIMITS_NOT_RESTORED)],
        PaymentKind.AccountNotActive => [new(AccountNotActiveRule.Name, FlagReason.ACCOUNT_NOT_ACTIVE)],
        _ => [],
    };

    /// <summary>The reason rule <paramref name="rule"/> must give for this kind, or null when it must not flag it.</summary>
    public static FlagReason? ExpectedReason(this PaymentKind kind, string rule) =>
        kind.Expected().FirstOrDefault(e => e.Rule == rule)?.Reason;
}
