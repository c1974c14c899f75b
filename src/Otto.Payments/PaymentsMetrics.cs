using System.Diagnostics.Metrics;

namespace Otto.Payments;

/// <summary>Counters of the payments topology: what the demo shows as progress and the worker exports.</summary>
public static class PaymentsMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "Otto.Payments";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>CPR facts applied to the model (tag outcome: applied, duplicate, stale, regression).</summary>
    public static readonly Counter<long> Facts = Meter.CreateCounter<long>("otto.payments.facts");

    /// <summary>GetTrnRq sent (tags rule, attempt).</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>("otto.payments.requests");

    /// <summary>GetTrnRs and FixPaymentRs joined to their payment (tags type, outcome: applied, ignored).</summary>
    public static readonly Counter<long> Replies = Meter.CreateCounter<long>("otto.payments.replies");

    /// <summary>Flags raised (tags rule, reason).</summary>
    public static readonly Counter<long> Flags = Meter.CreateCounter<long>("otto.payments.flags");

    /// <summary>Fix commands sent (tags rule, intent).</summary>
    public static readonly Counter<long> Fixes = Meter.CreateCounter<long>("otto.payments.fixes");

    /// <summary>Sweeps skipped because the task was catching up on old records (SLA rules wait meanwhile).</summary>
    public static readonly Counter<long> SweepsDeferred = Meter.CreateCounter<long>("otto.payments.sweeps.deferred");

    /// <summary>Flags cleared because their condition resolved (tag rule).</summary>
    public static readonly Counter<long> Cleared = Meter.CreateCounter<long>("otto.payments.flags.cleared");

    /// <summary>Replies dropped before reaching a payment (tags type: GetTrnRs, FixPaymentRs; reason: no-request when
    /// its key names no request Otto sent, no-payment when the request's payment has no model).</summary>
    public static readonly Counter<long> UnknownReplies = Meter.CreateCounter<long>("otto.payments.replies.unknown");
}
