using Otto.Payments.Rules;

namespace Otto.Payments;

/// <summary>Settings of the payments-integrity topology (section "Otto:Payments" in the worker's configuration).</summary>
public sealed class PaymentsOptions
{
    /// <summary>The environment in topic names (qa, prod, ...).</summary>
    public string Env { get; set; } = "qa";

    /// <summary>Per-rule settings keyed by rule name (Otto:Payments:Rules:StuckStatus:Sla, ...:SlaByRail:INSTANT,
    /// ...:Action = Fix). A rule not listed runs with its defaults (see topology-docs/rule-catalog.md).</summary>
    public Dictionary<string, RuleOptions> Rules { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long to wait for GetTrnRs before the first retry; each retry waits twice as long as the one before.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>GetTrnRq attempts (the first one included) before Otto flags "no core reply".</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often the wall-clock sweep over all payments checks SLAs and reply deadlines.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A record older than this (its timestamp against the wall clock) means the task is catching up on a
    /// backlog (after a restart, a rebalance or an outage). While it is, SLA rules wait: the facts that would
    /// satisfy them may still be in the backlog, and flagging now would be a false alarm.</summary>
    public TimeSpan CatchUpLag { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most a task that starts (takes over partitions, restarts) waits, from its start or from the end of
    /// restoring its stores if later, for the backlog its input partitions held at its start, before timed rules run
    /// again: the bound for a backlog that cannot be finished
    /// (its last record dead-lettered before the payment processor, a partition whose end moved back, offsets that
    /// could not be queried). At least <see cref="CatchUpLag"/>: whatever of that backlog is still unread by then is
    /// older than CatchUpLag, so reading it keeps timed rules waiting anyway.</summary>
    public TimeSpan CatchUpTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many applied events a payment keeps for audit; redelivered facts are recognised by these event ids.</summary>
    public int HistoryLength { get; set; } = 32;

    /// <summary>The settings of <paramref name="rule"/> (defaults when not configured).</summary>
    public RuleOptions Rule(string rule) => Rules.TryGetValue(rule, out var options) ? options : Defaults;

    private static readonly RuleOptions Defaults = new();

    /// <summary>Throws on settings that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Env)) throw new ArgumentException("Otto:Payments:Env is required.");
        if (MaxAttempts < 1) throw new ArgumentException("Otto:Payments:MaxAttempts must be at least 1.");
        if (HistoryLength < 1) throw new ArgumentException("Otto:Payments:HistoryLength must be at least 1.");
        if (ReplyTimeout <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero || CatchUpLag <= TimeSpan.Zero)
            throw new ArgumentException("Otto:Payments durations must be positive.");
        if (CatchUpTimeout < CatchUpLag)
            throw new ArgumentException("Otto:Payments:CatchUpTimeout must be at least CatchUpLag.");
        foreach (var (name, rule) in Rules)
        {
            if (!PaymentRules.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Otto:Payments:Rules:{name}: no such rule (rules: {string.Join(", ", PaymentRules.Names)}).");
            rule.Validate(name);
        }
    }
}
