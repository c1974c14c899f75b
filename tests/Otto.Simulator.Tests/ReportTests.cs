using Otto.Payments.Rules;

namespace Otto.Simulator.Tests;

public class ReportTests
{
    [Fact]
    public void Missed_and_false_compare_flags_with_the_expected_rules_of_each_payment()
    {
        (string, string)[] expected = [("a", StuckStatusRule.Name), ("a", MissingCoreTransactionRule.Name), ("b", AmountMismatchRule.Name), ("c", AmountMismatchRule.Name)];
        // a: one of its two rules missed; b: right; c: missed; x (not injected): false; b also by a rule it must not trip: false.
        (string, string)[] flagged = [("a", StuckStatusRule.Name), ("b", AmountMismatchRule.Name), ("x", AmountMismatchRule.Name), ("b", StuckStatusRule.Name)];

        var report = SimulationReport.Compute(10, 40, 7, 5, 2, expected, flagged, new Dictionary<string, int> { [AmountMismatchRule.Name] = 1 });

        Assert.Equal(new RuleReport(StuckStatusRule.Name, Injected: 1, Flagged: 2, Missed: 0, False: 1, Cleared: 0), report.Rule(StuckStatusRule.Name));
        Assert.Equal(new RuleReport(MissingCoreTransactionRule.Name, 1, 0, 1, 0, 0), report.Rule(MissingCoreTransactionRule.Name));
        Assert.Equal(new RuleReport(AmountMismatchRule.Name, 2, 2, 1, 1, 1), report.Rule(AmountMismatchRule.Name));
        Assert.Equal(new RuleReport(AccountNotActiveRule.Name, 0, 0, 0, 0, 0), report.Rule(AccountNotActiveRule.Name));
        Assert.Equal(PaymentRules.Names, report.Rules.Select(r => r.Rule));
        Assert.Equal((4, 4, 2, 2), (report.Injected, report.Flags, report.Missed, report.False));
        Assert.Equal((10, 40, 7, 5, 2), (report.Payments, report.Events, report.Requests, report.Replies, report.DeadLettered));
        Assert.False(report.Exact);
    }

    [Fact]
    public void The_summary_lines_have_the_documented_format_and_the_table_one_row_per_rule()
    {
        var report = SimulationReport.Compute(100, 412, 30, 24, 2,
            [("a", StuckStatusRule.Name), ("b", DuplicatePaymentRule.Name)], [("a", StuckStatusRule.Name), ("b", DuplicatePaymentRule.Name)]);

        Assert.Equal("simulate: injected=2 flagged=2 missed=0 false=0 pending=0", report.ToString());
        Assert.Equal("demo: payments=100 events=412 requests=30 replies=24 flags=2 injected=2 missed=0 false=0 pending=0", report.ToDemoLine());
        Assert.True(report.Exact);
        Assert.Equal(0, report.ExitCode);
        var lines = report.ToTable().Split('\n');
        Assert.Equal(1 + PaymentRules.Names.Count, lines.Length);
        Assert.Matches(@"^rule\s+injected\s+flagged\s+missed\s+false\s+pending\s+cleared$", lines[0]);
        Assert.Matches(@"^StuckStatus\s+1\s+1\s+0\s+0\s+0\s+0$", lines[1]);
    }

    [Fact]
    public void Unflagged_pairs_named_pending_count_as_pending_not_missed_and_set_their_own_exit_code()
    {
        (string, string)[] expected = [("a", StuckStatusRule.Name), ("b", StuckStatusRule.Name), ("c", AmountMismatchRule.Name)];
        var pending = new HashSet<(string, string)> { ("b", StuckStatusRule.Name), ("c", AmountMismatchRule.Name) };

        var onlyPending = SimulationReport.Compute(3, 9, 1, 1, 0, expected, [("a", StuckStatusRule.Name)], null, pending);
        var missedToo = SimulationReport.Compute(3, 9, 1, 1, 0, expected, [], null, pending);

        Assert.Equal(new RuleReport(StuckStatusRule.Name, 2, 1, 0, 0, 0, Pending: 1), onlyPending.Rule(StuckStatusRule.Name));
        Assert.Equal("simulate: injected=3 flagged=1 missed=0 false=0 pending=2", onlyPending.ToString());
        Assert.Equal((false, SimulationReport.ExitPending), (onlyPending.Exact, onlyPending.ExitCode));
        Assert.Equal((1, 2), (missedToo.Missed, missedToo.Pending));
        Assert.Equal(SimulationReport.ExitWrong, missedToo.ExitCode);
        Assert.Matches(@"^StuckStatus\s+2\s+0\s+1\s+0\s+1\s+0$", missedToo.ToTable().Split('\n')[1]);
    }

    [Fact]
    public void A_rule_outside_the_catalog_still_gets_a_row()
    {
        var report = SimulationReport.Compute(1, 1, 0, 0, 0, [], [("a", "SomeNewRule")]);

        Assert.Equal(new RuleReport("SomeNewRule", 0, 1, 0, 1, 0), report.Rule("SomeNewRule"));
        Assert.Equal(1, report.False);
    }
}
