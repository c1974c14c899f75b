using System.Diagnostics;

namespace Otto.Simulator.Tests;

public class SettleTests
{
    [Fact]
    public async Task Waiting_returns_once_every_anomaly_is_flagged_and_flags_went_quiet()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 20, anomalyRate: 0.2) with { PoisonRecords = 0 });
        await sim.StartAsync();
        var settled = sim.WaitForFlagsToSettleAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(60));
        await Eventually.Within(sim.PublishingCompleted, "publishing");
        Assert.False(settled.IsCompleted);

        var clock = Stopwatch.StartNew();
        foreach (var payment in sim.Payments.Where(p => p.Kind.IsAnomaly()))
            kafka.Produce(kafka.Topics.PaymentFlagged, payment.PaymentId, FlagWatcherTests.Flag(payment));
        var report = await Eventually.Within(settled, "flags to settle");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"settled after {clock.Elapsed}");
        Assert.Equal(4, report.Injected);
        Assert.Equal(4, report.Flags);
        Assert.True(report.Exact);
    }

    [Fact]
    public async Task Waiting_gives_up_at_the_timeout_and_reports_the_missed_anomalies()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 10, anomalyRate: 0.3) with { PoisonRecords = 0 });
        await sim.StartAsync();

        var report = await Eventually.Within(sim.WaitForFlagsToSettleAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2)), "the timeout");

        Assert.Equal(3, report.Injected);
        Assert.Equal(3, report.Missed);
        Assert.Equal(0, report.Flags);
    }
}
