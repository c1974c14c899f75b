namespace Otto.Simulator;

/// <summary>The outcome of a run, measured against the ground truth.</summary>
/// <param name="Payments">Payments published (PaymentAdded acknowledged).</param>
/// <param name="Events">CPR facts published, duplicates included, poison records not.</param>
/// <param name="Requests">GetTrnRq records about this run's payments that WSO2 saw.</param>
/// <param name="Replies">GetTrnRs records WSO2 sent.</param>
/// <param name="Flags">Distinct payments of this run that Otto flagged.</param>
/// <param name="Injected">Anomalies injected.</param>
/// <param name="Missed">Injected anomalies Otto did not flag.</param>
/// <param name="False">Flagged payments that were not injected anomalies (false positives).</param>
/// <param name="DeadLettered">Dead-letter records whose source key belongs to this run (its poison records among them).</param>
public sealed record SimulationReport(int Payments, int Events, int Requests, int Replies, int Flags, int Injected, int Missed, int False, int DeadLettered)
{
    /// <summary>True when every injected anomaly was flagged and nothing else was.</summary>
    public bool Exact => Missed == 0 && False == 0;

    /// <summary>The `otto simulate` summary line: <c>simulate: injected=n flagged=n missed=n false=n</c>.</summary>
    public override string ToString() => $"simulate: injected={Injected} flagged={Flags} missed={Missed} false={False}";

    /// <summary>The demo's summary line: <c>demo: payments=n events=n requests=n replies=n flags=n injected=n missed=n false=n</c>.</summary>
    public string ToDemoLine() =>
        $"demo: payments={Payments} events={Events} requests={Requests} replies={Replies} flags={Flags} injected={Injected} missed={Missed} false={False}";

    /// <summary>Compares the flagged payments with the injected ones.</summary>
    public static SimulationReport Compute(int payments, int events, int requests, int replies, int deadLettered,
        IReadOnlyCollection<string> injected, IReadOnlyCollection<string> flagged)
    {
        var injectedSet = injected as IReadOnlySet<string> ?? injected.ToHashSet(StringComparer.Ordinal);
        var flaggedSet = flagged as IReadOnlySet<string> ?? flagged.ToHashSet(StringComparer.Ordinal);
        var missed = injectedSet.Count(id => !flaggedSet.Contains(id));
        var falsePositives = flaggedSet.Count(id => !injectedSet.Contains(id));
        return new SimulationReport(payments, events, requests, replies, flaggedSet.Count, injectedSet.Count, missed, falsePositives, deadLettered);
    }
}
