namespace Otto.Simulator.Tests;

public class ReportTests
{
    [Fact]
    public void Missed_and_false_compare_flags_with_the_injected_payments()
    {
        var report = SimulationReport.Compute(10, 40, 7, 5, 2, injected: ["a", "b", "c"], flagged: ["b", "c", "x"]);

        Assert.Equal(new SimulationReport(10, 40, 7, 5, Flags: 3, Injected: 3, Missed: 1, False: 1, DeadLettered: 2), report);
        Assert.False(report.Exact);
    }

    [Fact]
    public void The_summary_lines_have_the_documented_format()
    {
        var report = new SimulationReport(100, 412, 30, 24, 20, 20, 0, 0, 2);

        Assert.Equal("simulate: injected=20 flagged=20 missed=0 false=0", report.ToString());
        Assert.Equal("demo: payments=100 events=412 requests=30 replies=24 flags=20 injected=20 missed=0 false=0", report.ToDemoLine());
        Assert.True(report.Exact);
    }
}
