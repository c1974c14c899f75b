using System.Diagnostics.Metrics;

namespace Otto.Payments;

/// <summary>Counters of the payments topology: what the demo shows as progress and the worker exports.</summary>
public static class PaymentsMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "Otto.Payments";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>CPR facts applied to the model (tag outcome: applied, duplicate, stale).</summary>
    public static readonly Counter<long> Facts = Meter.CreateCounter<long>("otto.payments.facts");

    /// <summary>GetTrnRq sent (tag attempt).</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("otto.payments.requests");

    /// <summary>GetTrnRs joined to their payment (tag outcome: applied, ignored).</summary>
    public static readonly Counter<long> Replies = Meter.CreateCounter<long>("otto.payments.replies");

    /// <summary>Flags raised (tag reason).</summary>
    public static readonly Counter<long> Flags = Meter.CreateCounter<long>("otto.payments.flags");

    /// <summary>GetTrnRs whose correlation id matches no request Otto sent.</summary>
    public static readonly Counter<long> UnknownReplies = Meter.CreateCounter<long>("otto.payments.replies.unknown");
}
