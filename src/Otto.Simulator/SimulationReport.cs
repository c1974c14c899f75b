using System.Text;
using Otto.Payments.Rules;

namespace Otto.Simulator;

/// <summary>One rule's figures against the ground truth.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Injected">Payments the rule must flag (the rule is in their kind's expected set).</param>
/// <param name="Flagged">Payments the rule flagged (PaymentFlagged or FixPaymentRq).</param>
/// <param name="Missed">Payments the rule must flag and did not.</param>
/// <param name="False">Payments the rule flagged although it is not in their expected set.</param>
/// <param name="Cleared">Flags of the rule cleared (PaymentFlagCleared); a cleared flag still counts as flagged.</param>
public sealed record RuleReport(string Rule, int Injected, int Flagged, int Missed, int False, int Cleared);

/// <summary>The outcome of a run, measured against the ground truth, per rule and in total. The totals count
/// (payment, rule) pairs, so they are the sums of the rule rows.</summary>
/// <param name="Payments">Payments published (PaymentAdded acknowledged).</param>
/// <param name="Events">Source facts published, duplicates included, poison records not.</param>
/// <param name="Requests">GetTrnRq records about this run's payments that WSO2 saw.</param>
/// <param name="Replies">GetTrnRs records WSO2 sent.</param>
/// <param name="Flags">(payment, rule) pairs Otto flagged.</param>
/// <param name="Injected">(payment, rule) pairs the run's anomalies must produce.</param>
/// <param name="Missed">Injected pairs Otto did not flag.</param>
/// <param name="False">Flagged pairs that were not injected (false positives).</param>
/// <param name="DeadLettered">Dead-letter records whose source key belongs to this run (its poison records among them).</param>
/// <param name="Rules">Every rule's figures, in the rule catalog's order.</param>
public sealed record SimulationReport(int Payments, int Events, int Requests, int Replies, int Flags, int Injected, int Missed, int False, int DeadLettered,
    IReadOnlyList<RuleReport> Rules)
{
    /// <summary>True when every injected anomaly was flagged by each of its rules and nothing else was.</summary>
    public bool Exact => Missed == 0 && False == 0;

    /// <summary>The rule's row (zeros for a rule nothing was injected for or flagged by).</summary>
    public RuleReport Rule(string rule) => Rules.FirstOrDefault(r => r.Rule == rule) ?? new RuleReport(rule, 0, 0, 0, 0, 0);

    /// <summary>The `otto simulate` summary line: <c>simulate: injected=n flagged=n missed=n false=n</c>.</summary>
    public override string ToString() => $"simulate: injected={Injected} flagged={Flags} missed={Missed} false={False}";

    /// <summary>The demo's summary line: <c>demo: payments=n events=n requests=n replies=n flags=n injected=n missed=n false=n</c>.</summary>
    public string ToDemoLine() =>
        $"demo: payments={Payments} events={Events} requests={Requests} replies={Replies} flags={Flags} injected={Injected} missed={Missed} false={False}";

    /// <summary>The per-rule table, one line per rule after a header, printed before the summary line.</summary>
    public string ToTable()
    {
        var width = Math.Max("rule".Length, Rules.Select(r => r.Rule.Length).DefaultIfEmpty(0).Max());
        var table = new StringBuilder();
        table.AppendLine($"{"rule".PadRight(width)}  injected  flagged  missed  false  cleared");
        foreach (var r in Rules)
            table.AppendLine($"{r.Rule.PadRight(width)}  {r.Injected,8}  {r.Flagged,7}  {r.Missed,6}  {r.False,5}  {r.Cleared,7}");
        return table.ToString().TrimEnd();
    }

    /// <summary>Compares the flags with the ground truth, rule by rule.</summary>
    /// <param name="payments">Payments published.</param>
    /// <param name="events">Facts published.</param>
    /// <param name="requests">GetTrnRq seen.</param>
    /// <param name="replies">GetTrnRs sent.</param>
    /// <param name="deadLettered">Dead letters of the run.</param>
    /// <param name="expected">(payment, rule) pairs that must be flagged.</param>
    /// <param name="flagged">(payment, rule) pairs that were flagged.</param>
    /// <param name="cleared">Cleared flags per rule.</param>
    public static SimulationReport Compute(int payments, int events, int requests, int replies, int deadLettered,
        IEnumerable<(string PaymentId, string Rule)> expected, IEnumerable<(string PaymentId, string Rule)> flagged,
        IReadOnlyDictionary<string, int>? cleared = null)
    {
        var expectedSet = expected.ToHashSet();
        var flaggedSet = flagged.ToHashSet();
        var names = PaymentRules.Names.Concat(expectedSet.Concat(flaggedSet).Select(p => p.Rule).Order(StringComparer.Ordinal)).Distinct();
        var rules = names.Select(rule =>
        {
            var mustFlag = expectedSet.Where(p => p.Rule == rule).ToList();
            var did = flaggedSet.Where(p => p.Rule == rule).ToList();
            return new RuleReport(rule, mustFlag.Count, did.Count, mustFlag.Count(p => !flaggedSet.Contains(p)), did.Count(p => !expectedSet.Contains(p)),
                cleared?.GetValueOrDefault(rule) ?? 0);
        }).ToList();
        return new SimulationReport(payments, events, requests, replies, rules.Sum(r => r.Flagged), rules.Sum(r => r.Injected),
            rules.Sum(r => r.Missed), rules.Sum(r => r.False), deadLettered, rules);
    }
}
