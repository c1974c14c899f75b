using System.Text;
using Otto.Payments.Rules;

namespace Otto.Simulator;

/// <summary>One rule's figures against the ground truth.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Injected">Payments the rule must flag (the rule is in their kind's expected set).</param>
/// <param name="Flagged">Payments the rule flagged (PaymentFlagged or FixPaymentRq).</param>
/// <param name="Missed">Payments the rule must flag and did not, although Otto provably went past the point where it should have (see <see cref="PendingFlags"/>).</param>
/// <param name="False">Payments the rule flagged although it is not in their expected set.</param>
/// <param name="Cleared">Flags of the rule cleared (PaymentFlagCleared); a cleared flag still counts as flagged.</param>
/// <param name="Pending">Payments the rule must flag and has not yet, without proof that it is late: still pending when the wait ended.</param>
public sealed record RuleReport(string Rule, int Injected, int Flagged, int Missed, int False, int Cleared, int Pending = 0);

/// <summary>The outcome of a run, measured against the ground truth, per rule and in total. The totals count
/// (payment, rule) pairs, so they are the sums of the rule rows.</summary>
/// <param name="Payments">Payments published (PaymentAdded acknowledged).</param>
/// <param name="Events">Source facts published, duplicates included, poison records not.</param>
/// <param name="Requests">GetTrnRq records about this run's payments that WSO2 saw.</param>
/// <param name="Replies">GetTrnRs records WSO2 sent.</param>
/// <param name="Flags">(payment, rule) pairs Otto flagged.</param>
/// <param name="Injected">(payment, rule) pairs the run's anomalies must produce.</param>
/// <param name="Missed">Injected pairs Otto did not flag although it provably went past them.</param>
/// <param name="False">Flagged pairs that were not injected (false positives).</param>
/// <param name="DeadLettered">Dead-letter records whose source key belongs to this run (its poison records among them).</param>
/// <param name="Rules">Every rule's figures, in the rule catalog's order.</param>
/// <param name="Pending">Injected pairs not flagged yet, with no proof that Otto is late: still pending when the wait ended.</param>
public sealed record SimulationReport(int Payments, int Events, int Requests, int Replies, int Flags, int Injected, int Missed, int False, int DeadLettered,
    IReadOnlyList<RuleReport> Rules, int Pending = 0)
{
    /// <summary>`otto simulate`'s exit code when something was missed or flagged falsely.</summary>
    public const int ExitWrong = 3;

    /// <summary>`otto simulate`'s exit code when nothing was missed or false but some flags were still pending.</summary>
    public const int ExitPending = 4;

    /// <summary>True when every injected anomaly was flagged by each of its rules and nothing else was.</summary>
    public bool Exact => Missed == 0 && False == 0 && Pending == 0;

    /// <summary>0 when exact, <see cref="ExitWrong"/> when anything was missed or false, else <see cref="ExitPending"/>.</summary>
    public int ExitCode => Missed > 0 || False > 0 ? ExitWrong : Pending > 0 ? ExitPending : 0;

    /// <summary>The rule's row (zeros for a rule nothing was injected for or flagged by).</summary>
    public RuleReport Rule(string rule) => Rules.FirstOrDefault(r => r.Rule == rule) ?? new RuleReport(rule, 0, 0, 0, 0, 0);

    /// <summary>The `otto simulate` summary line: <c>simulate: injected=n flagged=n missed=n false=n pending=n</c>.</summary>
    public override string ToString() => $"simulate: injected={Injected} flagged={Flags} missed={Missed} false={False} pending={Pending}";

    /// <summary>The demo's summary line: <c>demo: payments=n events=n requests=n replies=n flags=n injected=n missed=n false=n pending=n</c>.</summary>
    public string ToDemoLine() =>
        $"demo: payments={Payments} events={Events} requests={Requests} replies={Replies} flags={Flags} injected={Injected} missed={Missed} false={False} pending={Pending}";

    /// <summary>The per-rule table, one line per rule after a header, printed before the summary line.</summary>
    public string ToTable()
    {
        var width = Math.Max("rule".Length, Rules.Select(r => r.Rule.Length).DefaultIfEmpty(0).Max());
        var table = new StringBuilder();
        table.AppendLine($"{"rule".PadRight(width)}  injected  flagged  missed  false  pending  cleared");
        foreach (var r in Rules)
            table.AppendLine($"{r.Rule.PadRight(width)}  {r.Injected,8}  {r.Flagged,7}  {r.Missed,6}  {r.False,5}  {r.Pending,7}  {r.Cleared,7}");
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
    /// <param name="pending">Expected pairs not flagged that count as pending, not missed (<see cref="PendingFlags.Of"/>); none when null.</param>
    public static SimulationReport Compute(int payments, int events, int requests, int replies, int deadLettered,
        IEnumerable<(string PaymentId, string Rule)> expected, IEnumerable<(string PaymentId, string Rule)> flagged,
        IReadOnlyDictionary<string, int>? cleared = null, IReadOnlySet<(string PaymentId, string Rule)>? pending = null)
    {
        var expectedSet = expected.ToHashSet();
        var flaggedSet = flagged.ToHashSet();
        var waiting = pending ?? new HashSet<(string PaymentId, string Rule)>();
        var names = PaymentRules.Names.Concat(expectedSet.Concat(flaggedSet).Select(p => p.Rule).Order(StringComparer.Ordinal)).Distinct();
        var rules = names.Select(rule =>
        {
            var mustFlag = expectedSet.Where(p => p.Rule == rule).ToList();
            var did = flaggedSet.Where(p => p.Rule == rule).ToList();
            var notFlagged = mustFlag.Where(p => !flaggedSet.Contains(p)).ToList();
            var stillPending = notFlagged.Count(waiting.Contains);
            return new RuleReport(rule, mustFlag.Count, did.Count, notFlagged.Count - stillPending, did.Count(p => !expectedSet.Contains(p)),
                cleared?.GetValueOrDefault(rule) ?? 0, stillPending);
        }).ToList();
        return new SimulationReport(payments, events, requests, replies, rules.Sum(r => r.Flagged), rules.Sum(r => r.Injected),
            rules.Sum(r => r.Missed), rules.Sum(r => r.False), deadLettered, rules, rules.Sum(r => r.Pending));
    }
}
