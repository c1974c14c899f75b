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

        Assert.Equal("simulate: injected=2 flagged=2 missed=0 false=0", report.ToString());
        Assert.Equal("demo: payments=100 events=412 requests=30 replies=24 flags=2 injected=2 missed=0 false=0", report.ToDemoLine());
        Assert.True(report.Exact);
        var lines = report.ToTable().Split('\n');
        Assert.Equal(1 + PaymentRules.Names.Count, lines.Length);
        Assert.Matches(@"^rule\s+injected\s+flagged\s+missed\s+false\s+cleared$", lines[0]);
        Assert.Matches(@"^StuckStatus\s+1\s+1\s+0\s+0\s+0$", lines[1]);
    }

    [Fact]
    public void A_rule_outside_the_catalog_still_gets_a_row()
    {
        var report = SimulationReport.Compute(1, 1, 0, 0, 0, [], [("a", "SomeNewRule")]);

        Assert.Equal(new RuleReport("SomeNewRule", 0, 1, 0, 1, 0), report.Rule("SomeNewRule"));
        Assert.Equal(1, report.False);
    }
}
