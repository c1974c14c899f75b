using Microsoft.Extensions.Logging.Abstractions;
using Otto.Payments;
using Otto.Payments.Rules;
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
            Rules = new PaymentsOptions
            {
                Env = "e2e",
                Rules = { [StuckStatusRule.Name] = new() { Sla = TimeSpan.FromSeconds(1.5) } },
                ReplyTimeout = TimeSpan.FromSeconds(2),
                MaxAttempts = 2,
                SweepInterval = TimeSpan.FromMilliseconds(200),
            },
        };
        var output = new StringWriter();

        var report = await new DemoRunner(settings, output, NullLoggerFactory.Instance).RunAsync(CancellationToken.None);

        Assert.True(report.Injected > 0, output.ToString());
        Assert.True(report.Missed == 0 && report.False == 0, output.ToString());
        Assert.True(report.Requests > 0 && report.Replies > 0, output.ToString());
        Assert.Matches(@"^demo: payments=80 events=\d+ requests=\d+ replies=\d+ flags=\d+ injected=\d+ missed=0 false=0$",
            output.ToString().TrimEnd().Split('\n')[^1].TrimEnd('\r'));
    }
}
