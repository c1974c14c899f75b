using Microsoft.Extensions.Logging;
using Otto.IntegrationTests.Smoke;
using Otto.Payments;
using Otto.Simulator;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Streamiz.Kafka.Net;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Payments;

/// <summary>
/// The full payments topology in two Streamiz instances of one application on the embedded cluster, the simulator
/// injecting every anomaly kind. Halfway through the run one instance crashes (its consumer stops without committing
/// or leaving the group); its partitions move to the survivor, which restores their state from the changelogs and
/// works off the backlog. Every rule must still flag exactly the injected anomalies of its kinds: nothing missed,
/// nothing false.
/// </summary>
public class WorkerCrashTests(ITestOutputHelper output)
{
    private const string Env = "crash";
    private const string App = "otto-crash";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_rule_flags_exactly_its_anomalies_when_a_worker_crashes_mid_run()
    {
        // SLAs of a few seconds. The crashed member is noticed after max.poll.interval (7 s) and its partitions run
        // again some seconds later, so a question or answer waiting in one of them is that late. Three attempts 5 s
        // and 10 s apart put the last question after the take-over; only then does a silent core mean NO_CORE_REPLY.
        // The catch-up lag (2 s) makes the survivor hold its SLA checks while it works off the moved partitions' backlog.
        var payments = ShortSlas.For(Env, sla: TimeSpan.FromSeconds(3), replyTimeout: TimeSpan.FromSeconds(5), maxAttempts: 3,
            sweepInterval: TimeSpan.FromMilliseconds(250), catchUpLag: TimeSpan.FromSeconds(2));
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 4, applicationId: App);
        var loggers = TestLoggers.For(output);
        var restores = new RestoreCounter();
        using var victim = await PaymentsInstance.StartAsync(cluster, App, payments, "victim", restores, loggers, killable: true);
        using var survivor = await PaymentsInstance.StartAsync(cluster, App, payments, "survivor", restores, loggers);
        await Eventually.True(() => victim.State == KafkaStream.State.RUNNING && survivor.State == KafkaStream.State.RUNNING
            && victim.Clients.AssignedPartitions > 0 && survivor.Clients.AssignedPartitions > 0, Wait, "both instances processing");

        await using var sim = new Simulation(cluster.BootstrapServers, OttoRuntime.Registry(new() { Url = cluster.RegistryUrl.ToString() }),
            new PaymentTopics(Env), new SimulatorOptions { Payments = 160, AnomalyRate = 0.3, PaymentsPerSecond = 25, RunId = "crash" },
            loggers);
        await sim.StartAsync();

        await Eventually.True(() => sim.PaymentsPublished >= sim.Payments.Count / 2 && sim.FlagsSeen > 0, Wait, "half the payments published and a first flag");
        var partitionsBefore = survivor.Clients.AssignedPartitions;
        var restoredBefore = restores.RestoredExcept(PaymentsTopology.AccountsStore);
        victim.Clients.Kill();
        await Eventually.True(() => victim.State == KafkaStream.State.ERROR, Wait, "the victim to die");
        output.WriteLine($"killed the victim after {sim.PaymentsPublished} payments, {sim.FlagsSeen} flags; survivor had {partitionsBefore} partitions");

        var report = await sim.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(3), sim.SettleTimeout(payments, margin: TimeSpan.FromSeconds(30)));
        output.WriteLine(report.ToTable());
        output.WriteLine(report.ToString());
        output.WriteLine($"crash: survivor partitions {partitionsBefore} → {survivor.Clients.AssignedPartitions}, restored {restores}, fixes {sim.FixesApplied} (+{sim.FixesRepeated} repeated)");

        Assert.True(survivor.Clients.AssignedPartitions > partitionsBefore, "the victim's partitions moved to the survivor");
        Assert.True(restores.RestoredExcept(PaymentsTopology.AccountsStore) > restoredBefore, "the moved tasks restored their stores from the changelogs");
        Assert.All(report.Rules, r => Assert.True(r.Injected > 0 && r.Missed == 0 && r.False == 0, r.ToString()));
        Assert.Equal(sim.Payments.Count, report.Payments);
        Assert.Equal(KafkaStream.State.RUNNING, survivor.State);
    }
}
