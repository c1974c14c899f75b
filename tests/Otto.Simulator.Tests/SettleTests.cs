using System.Diagnostics;

namespace Otto.Simulator.Tests;

public class SettleTests
{
    [Fact]
    public async Task Waiting_returns_once_every_anomaly_is_flagged_by_each_of_its_rules_and_flags_went_quiet()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 40, anomalyRate: 0.3) with { PoisonRecords = 0 });
        await sim.StartAsync();
        var settled = sim.WaitForFlagsToSettleAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60));
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");
        Assert.False(settled.IsCompleted);

        var clock = Stopwatch.StartNew();
        var expected = sim.Payments.SelectMany(p => p.Kind.Expected().Select(e => (Payment: p, e.Rule))).ToList();
        foreach (var (payment, rule) in expected.Skip(1))
            kafka.Produce(kafka.Topics.PaymentFlagged, payment.PaymentId, FlagWatcherTests.Flag(payment, rule));
        await Eventually.True(() => sim.FlagsSeen == expected.Count - 1, Eventually.DefaultTimeout, "all flags but one");
        Assert.False(settled.IsCompleted); // one (payment, rule) still missing
        kafka.Produce(kafka.Topics.PaymentFlagged, expected[0].Payment.PaymentId, FlagWatcherTests.Flag(expected[0].Payment, expected[0].Rule));
        var report = await Eventually.Within(settled, Eventually.DefaultTimeout, "flags to settle");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"settled after {clock.Elapsed}");
        Assert.Equal(12, sim.InjectedPaymentIds.Count);
        Assert.Equal(expected.Count, report.Injected);
        Assert.Equal(expected.Count, report.Flags);
        Assert.True(report.Exact);
    }

    [Fact]
    public async Task Waiting_gives_up_at_the_timeout_and_reports_the_unflagged_anomalies_as_pending_when_nothing_proves_them_late()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 10, anomalyRate: 0.3) with { PoisonRecords = 0 });
        await sim.StartAsync();

        var report = await Eventually.Within(sim.WaitForFlagsToSettleAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)), Eventually.DefaultTimeout, "the timeout");

        Assert.Equal(sim.Expected.Count, report.Injected);
        Assert.Equal((report.Injected, 0), (report.Pending, report.Missed)); // no flag at all: no evidence that Otto went past any of them
        Assert.Equal(SimulationReport.ExitPending, report.ExitCode);
        Assert.Equal(3, sim.InjectedPaymentIds.Count);
        Assert.Equal(0, report.Flags);
    }
}
