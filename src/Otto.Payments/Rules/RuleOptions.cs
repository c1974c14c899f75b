using Otto.Contracts;

namespace Otto.Payments.Rules;

/// <summary>What Otto does when a rule's condition holds.</summary>
public enum RuleAction
{
    /// <summary>Publish PaymentFlagged for the owning system.</summary>
    Flag,

    /// <summary>Send FixPaymentRq with the rule's intent to the system that can fix it (PaymentFlagged follows only
    /// if the fix is refused).</summary>
    Fix,
}

/// <summary>Settings of one rule (section Otto:Payments:Rules:{RuleName}); unset values take the rule's defaults.</summary>
public sealed class RuleOptions
{
    /// <summary>False turns the rule off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Flag or fix.</summary>
    public RuleAction Action { get; set; } = RuleAction.Flag;

    /// <summary>The rule's SLA (how long a condition may last before it counts), when it has one.</summary>
    public TimeSpan? Sla { get; set; }

    /// <summary>Per-rail overrides of <see cref="Sla"/>, e.g. INSTANT: 10 seconds.</summary>
    public Dictionary<PaymentRail, TimeSpan> SlaByRail { get; set; } = [];

    /// <summary>The amount difference the rule tolerates, when it compares amounts.</summary>
    public decimal? Tolerance { get; set; }

    /// <summary>Per-rail overrides of <see cref="Tolerance"/>.</summary>
    public Dictionary<PaymentRail, decimal> ToleranceByRail { get; set; } = [];

    /// <summary>The rule's time window, when it has one (DuplicatePayment).</summary>
    public TimeSpan? Window { get; set; }

    /// <summary>The SLA of <paramref name="rail"/>, or <paramref name="fallback"/> when none is set.</summary>
    public TimeSpan SlaFor(PaymentRail rail, TimeSpan fallback) => SlaByRail.TryGetValue(rail, out var sla) ? sla : Sla ?? fallback;

    /// <summary>The tolerance of <paramref name="rail"/>, or <paramref name="fallback"/> when none is set.</summary>
    public decimal ToleranceFor(PaymentRail rail, decimal fallback) => ToleranceByRail.TryGetValue(rail, out var t) ? t : Tolerance ?? fallback;

    /// <summary>Throws on settings that cannot work.</summary>
    public void Validate(string rule)
    {
        if (Sla <= TimeSpan.Zero || SlaByRail.Values.Any(s => s <= TimeSpan.Zero))
            throw new ArgumentException($"Otto:Payments:Rules:{rule}: SLAs must be positive.");
        if (Tolerance < 0 || ToleranceByRail.Values.Any(t => t < 0))
            throw new ArgumentException($"Otto:Payments:Rules:{rule}: tolerances must not be negative.");
        if (Window <= TimeSpan.Zero) throw new ArgumentException($"Otto:Payments:Rules:{rule}: the window must be positive.");
    }
}
