using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams;
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
        var config = new StreamConfig
        {
            ApplicationId = app,
            BootstrapServers = kafka.Cluster.BootstrapServers,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            DeserializationErrors = ErrorHandling.DeadLetter,
            ProcessingErrors = ErrorHandling.DeadLetter,
            DeadLetterTopic = kafka.Topics.DeadLetter,
            StateDir = Path.Combine(Path.GetTempPath(), "otto-sim-e2e-" + Guid.NewGuid().ToString("N")),
        };
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new OutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
        var topology = PaymentsTopology.Build(options, new PaymentsSerDes(kafka.Registry, true));
        // The mock cluster does not serve CreateTopics: make the internal topics the engine would create.
        foreach (var topic in topology.RepartitionTopics(app).Keys.Concat(topology.ChangelogTopics(app).Keys)) kafka.Cluster.CreateTopic(topic, 4);
        using var otto = new KafkaStream(topology, config, loggers: loggers);
        otto.Start();
        await Eventually.Until(() => otto.State == KafkaStreamState.Running, "Otto running");
        await using var sim = new Simulation(kafka.Cluster.BootstrapServers, kafka.Registry, kafka.Topics,
            new SimulatorOptions { Payments = 80, AnomalyRate = 0.3, StepDelay = TimeSpan.FromMilliseconds(20), RunId = "e2e" }, loggers.CreateLogger("sim"));
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
        await Eventually.Until(() => sim.FixesApplied == fixes && sim.Report().Rule(LimitsNotRestoredRule.Name).Cleared == fixes, $"{fixes} fixes applied and cleared");
        await Eventually.Until(() => sim.DeadLettered == 2, "both poison records dead-lettered");
    }
}
