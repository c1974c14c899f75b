using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>What a rule's check found on a payment's model.</summary>
public abstract record RuleCheck
{
    private RuleCheck() { }

    /// <summary>The condition does not hold: an open flag of this rule is cleared, a question in flight is dropped.</summary>
    public static RuleCheck Absent { get; } = new AbsentCheck();

    /// <summary>The condition holds: raise a flag (or send a fix), once per episode.</summary>
    public static RuleCheck Violated(FlagReason reason, string detail, PaymentStatus? coreStatus = null, decimal? surplus = null) =>
        new Violation(reason, detail, coreStatus, surplus);

    /// <summary>The condition holds on Otto's view alone: ask the core (GetTrnRq) before deciding. Only
    /// <see cref="ISuspenderRule"/>s return it.</summary>
    public static RuleCheck Suspected(string detail) => new Suspicion(detail);

    /// <summary>See <see cref="Absent"/>.</summary>
    public sealed record AbsentCheck : RuleCheck;

    /// <summary>See <see cref="Violated"/>.</summary>
    public sealed record Violation(FlagReason Reason, string Detail, PaymentStatus? CoreStatus, decimal? Surplus) : RuleCheck;

    /// <summary>See <see cref="Suspected"/>.</summary>
    public sealed record Suspicion(string Detail) : RuleCheck;
}
