using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams;
using Xunit.Abstractions;

namespace Otto.Simulator.Tests;

/// <summary>The simulator against the real payments topology on the embedded cluster: Otto must flag exactly the
/// injected anomalies (the slow-but-consistent payments prove the suspender prevents false flags), and
/// dead-letter the poison records.</summary>
public class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Otto_flags_exactly_the_injected_anomalies()
    {
        using var kafka = new SimCluster();
        var app = "otto-e2e";
        var options = new PaymentsOptions
        {
            Env = "simtest",
            Rules = { [StuckStatusRule.Name] = new() { Sla = TimeSpan.FromSeconds(1) } },
            // Generous next to the embedded cluster's latency: a new producer's first delivery takes about a second.
            ReplyTimeout = TimeSpan.FromSeconds(2),
            MaxAttempts = 2,
            SweepInterval = TimeSpan.FromMilliseconds(200),
        };
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
        await using var sim = new Simulation(kafka.Cluster.BootstrapServers, kafka.Registry, kafka.Topics,
            new SimulatorOptions { Payments = 60, StepDelay = TimeSpan.FromMilliseconds(20), RunId = "e2e" }, loggers.CreateLogger("sim"));
        await sim.StartAsync();
        var report = await sim.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(1), sim.SettleTimeout(options, margin: TimeSpan.FromSeconds(30)));
        output.WriteLine(report.ToDemoLine());

        Assert.Equal("simulate: injected=12 flagged=12 missed=0 false=0", report.ToString());
        Assert.All(sim.Payments.Where(p => p.Kind.IsAnomaly()), p => Assert.Equal(p.Kind.ExpectedReason(), sim.FlaggedPayments[p.PaymentId]));
        Assert.Equal(60, report.Payments);
        Assert.True(report.Replies > 0 && report.Requests > report.Replies, report.ToDemoLine());
        await Eventually.Until(() => sim.DeadLettered == 2, "both poison records dead-lettered");
    }
}
