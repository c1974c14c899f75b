using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Simulator;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Demo;

/// <summary>What the demo runs: how many payments, for how long, with which (short) SLAs.</summary>
public sealed record DemoSettings
{
    /// <summary>Payments the simulated CPR publishes.</summary>
    public int Payments { get; init; } = 200;

    /// <summary>Stop after this long; null: run until cancelled (Ctrl-C).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Stop as soon as every injected anomaly is accounted for and flags are quiet (for tests).</summary>
    public bool StopWhenSettled { get; init; }

    /// <summary>Partitions of every topic.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>How often progress is printed.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Seconds instead of the production minutes, so every anomaly surfaces while you watch (see <see cref="ShortSlas.For"/>).</summary>
    public PaymentsOptions Rules { get; init; } = ShortSlas.For("qa", TimeSpan.FromSeconds(3));
}

/// <summary>
/// The demo in one process: embedded Kafka, dev schema registry, the Otto worker and the simulated source
/// systems, with progress lines and a closing ground-truth comparison.
/// </summary>
public sealed class DemoRunner(DemoSettings settings, TextWriter output, ILoggerFactory loggers)
{
    /// <summary>Runs until the duration passes, the token is cancelled, or (if asked) the flags settle.</summary>
    public async Task<SimulationReport> RunAsync(CancellationToken cancel)
    {
        using var progress = new ProgressMeter();
        await using var cluster = await DevCluster.StartAsync(settings.Rules.Env, settings.Partitions, ct: cancel, loggers: loggers);
        Say($"embedded Kafka at {cluster.BootstrapServers}, schema registry at {cluster.RegistryUrl}");

        var options = cluster.WorkerOptions("otto-demo", settings.Rules, TimeSpan.FromSeconds(1));
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var failure = new StreamFailure();
        var status = new StreamStatus();
        using var hosted = await StreamHost.StartAsync(options, registry, status, failure, loggers, cluster.Kafka, cancel);
        Say($"worker started: SLAs {PaymentRules.LongestSla(settings.Rules).TotalSeconds}s, reply timeout {settings.Rules.ReplyTimeout.TotalSeconds}s, {settings.Rules.MaxAttempts} attempts, "
            + $"fixes for {string.Join(", ", PaymentRules.Names.Where(r => settings.Rules.Rule(r).Action == RuleAction.Fix))}");

        // The source systems start once Otto consumes: a backlog at start-up would only show the catch-up guard at work.
        var joined = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!status.Ready && status.Live && DateTime.UtcNow < joined)
            await Task.Delay(100, cancel);
        Say($"worker {status.State}");

        await using var simulation = new Simulation(cluster.BootstrapServers, registry, new PaymentTopics(settings.Rules.Env),
            new SimulatorOptions { Payments = settings.Payments }, loggers);
        await simulation.StartAsync(cancel);
        Say($"simulating {settings.Payments} payments from CPR, WSO2, Recon and Limits ({simulation.InjectedPaymentIds.Count} anomalies of {PaymentKinds.Anomalies.Count} kinds); WSO2 answers GetTrnRq, the source systems FixPaymentRq");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        if (settings.Duration is { } duration) stop.CancelAfter(duration);
        var settled = simulation.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(2), simulation.SettleTimeout(settings.Rules, TimeSpan.FromSeconds(15)), stop.Token);
        var settledSaid = false;
        while (!stop.IsCancellationRequested)
        {
            var tick = Task.Delay(settings.ProgressInterval, stop.Token);
            await (settledSaid ? tick : Task.WhenAny(tick, settled)).ContinueWith(_ => { }, TaskScheduler.Default);
            Say($"[{status.State}] {progress.Line()} | sim: payments={simulation.PaymentsPublished} events={simulation.EventsPublished} wso2 requests={simulation.RequestsSeen} replies={simulation.RepliesSent} fixes={simulation.FixesApplied} flagged={simulation.FlagsSeen}/{simulation.Expected.Count}");
            if (failure.Failed.IsCompleted) throw new InvalidOperationException("The worker failed.", failure.Error);
            if (settled.IsCompletedSuccessfully && !settledSaid)
            {
                settledSaid = true;
                Say($"flags settled: {settled.Result}");
                if (settings.StopWhenSettled) break;
                Say("still running; Ctrl-C to stop");
            }
        }

        var report = simulation.Report();
        hosted.Dispose();
        simulation.LogDiscrepancies();
        Say($"ground truth: {simulation.InjectedPaymentIds.Count} anomalous payments; per rule, (payment, rule) pairs:");
        output.WriteLine(report.ToTable());
        Say($"  flagged by Otto: {report.Flags}  missed: {report.Missed}  false: {report.False}  pending: {report.Pending}  dead-lettered: {report.DeadLettered}  fixes applied: {simulation.FixesApplied}");
        output.WriteLine(report.ToDemoLine());
        return report;
    }

    private void Say(string line) => output.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
