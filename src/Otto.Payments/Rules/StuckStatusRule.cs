using Otto.Contracts.Otto;
using Otto.Payments.Model;

namespace Otto.Payments.Rules;

/// <summary>
/// StuckStatus: a payment in a non-terminal status for longer than its rail's SLA. Otto does not flag on its
/// own view alone: it asks the core and flags only when the core disagrees, does not know the payment, or
/// does not answer. A core that confirms the status means "slow, not inconsistent": no flag this episode.
/// </summary>
public sealed class StuckStatusRule(PaymentsOptions options) : ISuspenderRule
{
    /// <summary>The rule's name.</summary>
    public const string Name = "StuckStatus";

    /// <summary>The SLA when none is configured.</summary>
    public static readonly TimeSpan DefaultSla = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public RuleInfo Info { get; } = new(Name,
        "Sweep: an added payment in a non-terminal status (ADDED, PENDING, PROCESSING) for longer than its SLA since the status's occurred-at.",
        $"Sla (default {DefaultSla}), SlaByRail",
        "Asks the core (GetTrnRq, retried with backoff); flags STATUS_MISMATCH when the core has another status, NOT_FOUND_IN_CORE, or NO_CORE_REPLY. The core confirming the status ends the question without a flag for the episode. Cleared when the status becomes terminal or changes to one younger than the SLA.",
        [FlagReason.STATUS_MISMATCH, FlagReason.NOT_FOUND_IN_CORE, FlagReason.NO_CORE_REPLY],
        FixIntent.SYNC_STATUS_FROM_CORE, "CPR");

    /// <inheritdoc />
    public bool IsTimed => true;

    /// <inheritdoc />
    public DateTimeOffset? DueAt(PaymentState state) =>
        state.Added && !PaymentLifecycle.IsTerminal(state.Status) ? state.StatusSince + options.Rule(Name).SlaFor(state.Rail, DefaultSla) : null;

    /// <inheritdoc />
    public RuleCheck Check(PaymentState state, DateTimeOffset now) =>
        DueAt(state) <= now ? RuleCheck.Suspected($"Status {state.Status} since {state.StatusSince:O}.") : RuleCheck.Absent;

    /// <inheritdoc />
    public RuleCheck OnCoreReply(PaymentState state, GetTrnRs reply)
    {
        if (!reply.Found) return RuleCheck.Violated(FlagReason.NOT_FOUND_IN_CORE, $"The core has no transaction for this payment; Otto has {state.Status} since {state.StatusSince:O}.");
        if (reply.CoreStatus != state.Status)
            return RuleCheck.Violated(FlagReason.STATUS_MISMATCH, $"Otto has {state.Status} since {state.StatusSince:O}, the core has {reply.CoreStatus}.", reply.CoreStatus);
        return RuleCheck.Absent;
    }
}
