using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using Xunit.Abstractions;

namespace Otto.Simulator.Tests;

/// <summary>The simulator against the real payments topology on the embedded cluster: every rule must flag exactly
/// the payments whose kind expects it (the benign kinds prove the suspender, the limits restore and the clearing
/// prevent false flags), and dead-letter the poison records.</summary>
public class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_rule_flags_exactly_the_injected_anomalies_of_its_kinds()
    {
        using var kafka = new SimCluster();
        var app = "otto-e2e";
        // Generous next to the embedded cluster's latency: a new producer's first delivery takes about a second.
        var options = ShortSlas.For("simtest", sla: TimeSpan.FromSeconds(2), sweepInterval: TimeSpan.FromMilliseconds(200));
        var worker = new OttoOptions
        {
            Kafka = { BootstrapServers = kafka.Cluster.BootstrapServers, Properties = { ["main.consumer.session.timeout.ms"] = "6000" } },
            SchemaRegistry = { AutoRegisterSchemas = true },
            Streams = { ApplicationId = app, CommitInterval = TimeSpan.FromMilliseconds(200),
                StateDir = Path.Combine(Path.GetTempPath(), "otto-sim-e2e-" + Guid.NewGuid().ToString("N")) },
            Payments = options,
        };
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new OutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
        var status = new StreamStatus();
        // The worker's own start-up path: Otto's supplier creates the internal topics on the embedded cluster.
        using var otto = await StreamHost.StartAsync(worker, kafka.Registry, status, new StreamFailure(), loggers, kafka.Cluster);
        await Eventually.True(() => status.Ready, Eventually.DefaultTimeout, "Otto running");
        await using var sim = new Simulation(kafka.Cluster.BootstrapServers, kafka.Registry, kafka.Topics,
            new SimulatorOptions { Payments = 80, AnomalyRate = 0.3, StepDelay = TimeSpan.FromMilliseconds(20), RunId = "e2e" }, loggers);
        await sim.StartAsync();
        var report = await sim.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(1), sim.SettleTimeout(options, margin: TimeSpan.FromSeconds(30)));
        output.WriteLine(report.ToDemoLine());

        output.WriteLine(report.ToTable());

        Assert.Equal(sim.Expected.Count, report.Injected);
        Assert.All(report.Rules, r => Assert.True(r.Injected > 0 && r.Missed == 0 && r.False == 0, r.ToString()));
        Assert.All(sim.Detected, d => Assert.Equal(sim.Payments.Single(p => p.PaymentId == d.PaymentId).Kind.ExpectedReason(d.Rule), d.Reason));
        Assert.Equal(80, report.Payments);
        Assert.True(report.Replies > 0 && report.Requests >= report.Replies, report.ToDemoLine());
        // LimitsNotRestored fixes instead of flagging: the simulated Limits restores, and Otto clears each flag.
        var fixes = report.Rule(LimitsNotRestoredRule.Name).Injected;
        await Eventually.True(() => sim.FixesApplied == fixes && sim.Report().Rule(LimitsNotRestoredRule.Name).Cleared == fixes, Eventually.DefaultTimeout, $"{fixes} fixes applied and cleared");
        await Eventually.True(() => sim.DeadLettered == 2, Eventually.DefaultTimeout, "both poison records dead-lettered");
    }
}
