using Microsoft.Extensions.Logging.Abstractions;
using Otto.Simulator;
using Otto.Streams.Worker.Demo;

namespace Otto.IntegrationTests;

public class DemoEndToEndTests
{
    [Fact]
    public async Task Worker_and_simulators_on_the_embedded_cluster_flag_every_injected_anomaly_and_nothing_else()
    {
        var settings = new DemoSettings
        {
            Payments = 80,
            StopWhenSettled = true,
            Duration = TimeSpan.FromMinutes(2),
            ProgressInterval = TimeSpan.FromMilliseconds(500),
            // A sweep interval above Otto's MaxTaskIdle (500 ms): the payment processor counts as catching up only while it
            // processed a stale record within the last sweep interval, and Streamiz pauses a task up to MaxTaskIdle whenever
            // one of its partitions has nothing buffered, so with 200 ms the sweeps judged SLAs in those pauses while the
            // settlements were still in the backlog (2 runs of 3: 16-23 false MissingSettlement/SettlementBalance flags).
            Rules = ShortSlas.For("e2e", TimeSpan.FromSeconds(1.5), sweepInterval: TimeSpan.FromSeconds(1)),
        };
        var output = new StringWriter();

        var report = await new DemoRunner(settings, output, NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        Assert.True(report.Injected > 0, output.ToString());
        Assert.True(report.Missed == 0 && report.False == 0 && report.Pending == 0, output.ToString());
        Assert.All(report.Rules, r => Assert.True(r.Injected > 0, output.ToString()));
        Assert.Matches(@"(?m)^rule\s+injected\s+flagged\s+missed\s+false\s+pending\s+cleared\r?$", output.ToString());
        Assert.True(report.Requests > 0 && report.Replies > 0, output.ToString());
        Assert.Matches(@"^demo: payments=80 events=\d+ requests=\d+ replies=\d+ flags=\d+ injected=\d+ missed=0 false=0 pending=0$",
            output.ToString().TrimEnd().Split('\n')[^1].TrimEnd('\r'));
    }
}
