using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// MissingCoreTransaction: CPR added the payment but WSO2 reported no TrnAdded within the SLA. The fact may only
/// be late or lost, so Otto asks the core first: a core that has the transaction ends the question without a flag.
/// Payments that failed or were cancelled are not expected in the core.
/// </summary>
public sealed class MissingCoreTransactionRule(PaymentsOptions options) : ISuspenderRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "MissingCoreTransaction";

    /// <summary>The SLA when none is configured.</summary>
    public static readonly TimeSpan DefaultSla = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Sweep: an added payment, not failed or cancelled, with no TrnAdded from WSO2 for longer than its SLA since PaymentAdded's occurred-at.",
        $"Sla (default {DefaultSla}), SlaByRail",
        "Asks the core (GetTrnRq); flags MISSING_CORE_TRANSACTION when the core has none, NO_CORE_REPLY when it does not answer. Cleared when TrnAdded arrives or the payment fails or is cancelled.",
        [FlagReason.MISSING_CORE_TRANSACTION, FlagReason.NO_CORE_REPLY],
        FixIntent.CREATE_CORE_TRANSACTION, "WSO2");

    /// <inheritdoc />
    public bool IsTimed => true;

    /// <inheritdoc />
    public DateTimeOffset? DueAt(PaymentState state) =>
        state is { Added: true, AddedAt: { } addedAt, TrnAddedAt: null } && state.Status is not (PaymentStatus.FAILED or PaymentStatus.CANCELLED)
            ? addedAt + options.Rule(Name).SlaFor(state.Rail, DefaultSla)
            : null;

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        DueAt(state) <= now ? RuleCheck.Suspected($"No TrnAdded since the payment was added at {state.AddedAt:O}.") : RuleCheck.Absent;

    /// <inheritdoc />
    public RuleCheck OnCoreReply(PaymentState state, GetTrnRs reply) => reply.Found
        ? RuleCheck.Absent
        : RuleCheck.Violated(FlagReason.MISSING_CORE_TRANSACTION, $"Added at {state.AddedAt:O}; no TrnAdded and the core has no transaction.");
}
