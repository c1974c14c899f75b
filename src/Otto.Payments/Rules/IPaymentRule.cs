using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// An integrity rule: a pure check of a payment's model at a wall-clock time. The <see cref="RuleRunner"/>
/// runs it after every fact applied to the payment and at every sweep, and turns its answers into
/// episodes, flags, fixes and clearings; the rule itself keeps no state and writes nothing.
/// </summary>
public interface IPaymentRule
{
    /// <summary>The rule's catalog entry.</summary>
    RuleInfo Info { get; }

    /// <summary>True when the answer depends on how much time passed (an SLA), not only on the facts: such rules
    /// wait while the payment's task is catching up on old records, whose later facts may still be in the backlog.</summary>
    bool IsTimed => false;

    /// <summary>For a timed rule whose condition does not hold yet: when time alone would make it hold, the facts
    /// staying as they are (null: time cannot). The sweep visits the payment then, and not before.</summary>
    DateTimeOffset? DueAt(PaymentState state) => null;

    /// <summary>Checks the condition on <paramref name="state"/> at <paramref name="now"/>; must not change the state.</summary>
    RuleCheck Check(PaymentState state, DateTimeOffset now);
}

/// <summary>A rule that asks the core (GetTrnRq) before flagging, and decides on the reply.</summary>
public interface ISuspenderRule : IPaymentRule
{
    /// <summary>Decides on the core's answer to this rule's question: a violation, or <see cref="RuleCheck.Absent"/>
    /// when the core confirms Otto's view is fine (no flag for the rest of the episode).</summary>
    RuleCheck OnCoreReply(PaymentState state, GetTrnRs reply);
}
