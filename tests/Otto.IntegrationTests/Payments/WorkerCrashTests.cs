using Microsoft.Extensions.Logging;
using Otto.IntegrationTests.Smoke;
using Otto.Payments;
using Otto.Simulator;
using Otto.Simulator.Tests;
using Otto.Streams;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Payments;

/// <summary>
/// The full payments topology in two instances of one application on the embedded cluster, the simulator injecting
/// every anomaly kind. Halfway through the run one instance crashes (its consumer stops without committing or leaving
/// the group); its partitions move to the survivor, which restores their state from the changelogs and works off
/// the backlog. Every rule must still flag exactly the injected anomalies of its kinds: nothing missed, nothing false.
/// </summary>
public class WorkerCrashTests(ITestOutputHelper output)
{
    private const string Env = "crash";
    private const string App = "otto-crash";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Every_rule_flags_exactly_its_anomalies_when_a_worker_crashes_mid_run()
    {
        // SLAs of a few seconds. The crashed member is noticed after max.poll.interval (7 s) and its partitions run
        // again ~12 s after the crash, so a question or answer waiting in one of them is that late. Three attempts 5 s
        // and 10 s apart put the last question after the take-over; only then does a silent core mean NO_CORE_REPLY. The catch-up lag
        // (2 s) makes the survivor hold its SLA checks while it works off the moved partitions' backlog.
        var payments = ShortSlas.For(Env, sla: TimeSpan.FromSeconds(3), replyTimeout: TimeSpan.FromSeconds(5), maxAttempts: 3,
            sweepInterval: TimeSpan.FromMilliseconds(250), catchUpLag: TimeSpan.FromSeconds(2));
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 4, applicationId: App);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new OutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Warning));
        using var restores = new RestoreCounter();
        using var victimClients = new KillableSupplier();
        using var victim = new PaymentsInstance(cluster, App, payments, "victim", victimClients, loggers);
        using var survivor = new PaymentsInstance(cluster, App, payments, "survivor", null, loggers);
        victim.Stream.Start();
        survivor.Stream.Start();
        await Eventually.True(() => victim.RunningTasks > 0 && survivor.RunningTasks > 0, Wait, "both instances processing");

        await using var sim = new Simulation(cluster.BootstrapServers, OttoRuntime.Registry(new() { Url = cluster.RegistryUrl.ToString() }),
            new PaymentTopics(Env), new SimulatorOptions { Payments = 160, AnomalyRate = 0.3, PaymentsPerSecond = 25, RunId = "crash" },
            loggers.CreateLogger("sim"));
        await sim.StartAsync();

        await Eventually.True(() => sim.PaymentsPublished >= sim.Payments.Count / 2 && sim.FlagsSeen > 0, Wait, "half the payments published and a first flag");
        var tasksBefore = survivor.RunningTasks;
        var restoredBefore = restores.Restored;
        victimClients.Kill();
        await Eventually.True(() => victim.Stream.State == KafkaStreamState.Error, Wait, "the victim to die");
        output.WriteLine($"killed the victim after {sim.PaymentsPublished} payments, {sim.FlagsSeen} flags; survivor had {tasksBefore} tasks");

        var report = await sim.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(3), sim.SettleTimeout(payments, margin: TimeSpan.FromSeconds(30)));
        output.WriteLine(report.ToTable());
        output.WriteLine(report.ToString());
        output.WriteLine($"crash: survivor tasks {tasksBefore} → {survivor.RunningTasks}, records restored {restores.Restored - restoredBefore}, fixes {sim.FixesApplied} (+{sim.FixesRepeated} repeated)");

        Assert.True(survivor.RunningTasks > tasksBefore, "the victim's tasks moved to the survivor");
        Assert.True(restores.Restored > restoredBefore, "the moved tasks restored their stores from the changelogs");
        Assert.All(report.Rules, r => Assert.True(r.Injected > 0 && r.Missed == 0 && r.False == 0, r.ToString()));
        Assert.Equal(sim.Payments.Count, report.Payments);
        Assert.Equal(KafkaStreamState.Running, survivor.Stream.State);
    }
}
