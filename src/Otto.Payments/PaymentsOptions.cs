using Otto.Contracts;

namespace Otto.Payments;

/// <summary>Settings of the payments-integrity topology (section "Otto:Payments" in the worker's configuration).</summary>
public sealed class PaymentsOptions
{
    /// <summary>The environment in topic names (qa, prod, ...).</summary>
    public string Env { get; set; } = "qa";

    /// <summary>How long a payment may stay in a non-terminal status before Otto asks the core about it.</summary>
    public TimeSpan StuckStatusSla { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Per-rail overrides of <see cref="StuckStatusSla"/>, e.g. INSTANT: 10 seconds.</summary>
    public Dictionary<PaymentRail, TimeSpan> StuckStatusSlaByRail { get; set; } = [];

    /// <summary>How long to wait for GetTrnRs before the first retry; each retry waits twice as long as the one before.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>GetTrnRq attempts (the first one included) before Otto flags "no core reply".</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How often the wall-clock sweep over all payments checks SLAs and reply deadlines.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many recent event ids a payment remembers to drop redelivered facts.</summary>
    public int RecentEventIds { get; set; } = 32;

    /// <summary>The SLA of a rail.</summary>
    public TimeSpan SlaFor(PaymentRail rail) => StuckStatusSlaByRail.TryGetValue(rail, out var sla) ? sla : StuckStatusSla;

    /// <summary>Throws on settings that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Env)) throw new ArgumentException("Otto:Payments:Env is required.");
        if (MaxAttempts < 1) throw new ArgumentException("Otto:Payments:MaxAttempts must be at least 1.");
        if (ReplyTimeout <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero || StuckStatusSla <= TimeSpan.Zero)
            throw new ArgumentException("Otto:Payments durations must be positive.");
    }
}
