using Otto.Payments;
using Otto.Payments.Rules;

namespace Otto.Simulator;

/// <summary>Otto settings under which a simulation run shows every anomaly within seconds instead of the production
/// minutes: for the demo and the end-to-end tests.</summary>
public static class ShortSlas
{
    /// <summary>
    /// Every timed rule's SLA is <paramref name="sla"/>, the duplicate window a minute, and LimitsNotRestored fixes
    /// instead of flagging (the simulated Limits applies the fix, and Otto clears the flag). The reply timeout
    /// (2 s by default) stays above the ~1.5 s a fresh producer needs for its first delivery on the embedded cluster.
    /// The catch-up lag (1 s by default) must stay well below the SLA: a task working off a backlog of facts a few
    /// seconds old (a slow start, a rebalance, a crashed instance's partitions) must count as catching up, or
    /// it would flag COMPLETED payments whose settlement is still further back in the backlog.
    /// </summary>
    public static PaymentsOptions For(string env, TimeSpan sla, TimeSpan? replyTimeout = null, int maxAttempts = 2, TimeSpan? sweepInterval = null,
        TimeSpan? catchUpLag = null) => new()
    {
        Env = env,
        Rules =
        {
            [StuckStatusRule.Name] = new() { Sla = sla },
            [MissingCoreTransactionRule.Name] = new() { Sla = sla },
            [MissingSettlementRule.Name] = new() { Sla = sla },
            [SettlementBalanceRule.Name] = new() { Sla = sla },
            [LimitsNotRestoredRule.Name] = new() { Sla = sla, Action = RuleAction.Fix },
            [DuplicatePaymentRule.Name] = new() { Window = TimeSpan.FromMinutes(1) },
        },
        ReplyTimeout = replyTimeout ?? TimeSpan.FromSeconds(2),
        MaxAttempts = maxAttempts,
        SweepInterval = sweepInterval ?? TimeSpan.FromMilliseconds(500),
        CatchUpLag = catchUpLag ?? TimeSpan.FromSeconds(1),
    };
}
