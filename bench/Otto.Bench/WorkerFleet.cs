using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Otto.Testing;

namespace Otto.Bench;

/// <summary>
/// N `otto run` processes of one application on a <see cref="PaymentsCluster"/>, started as the tests start the worker
/// (<see cref="OttoCommand"/>, <see cref="WorkerProcess"/>) and configured as an operator would, by environment: the
/// cluster's client settings (session timeout, auto.offset.reset earliest), its catch-up settings, a state directory
/// each and metrics on any free port (the worker logs the port it got). Read while they run: the facts each applied
/// (<c>otto_payments_facts_total</c> on its /metrics, every outcome) and its CPU time. Disposing kills what still runs.
/// </summary>
internal sealed partial class WorkerFleet : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly List<WorkerProcess> _workers;
    // Generous: a worker's HTTP side once stalled ~10 s while its tasks started on a backlog (the catch-up probe starved
    // its thread pool; fixed in KafkaBacklogProbe), and a loaded 2-core machine is slow; the clock does not run yet.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private Uri[] _metrics = [];

    private WorkerFleet(List<WorkerProcess> workers) => _workers = workers;

    /// <summary>The longest scrape of the last <see cref="WaitFor(Func{long[], bool}, TimeSpan, string, TextWriter)"/>:
    /// how late a reading can be.</summary>
    public TimeSpan LongestScrape { get; private set; }

    /// <summary>Starts <paramref name="count"/> workers with application id <paramref name="applicationId"/>, whose
    /// topics the caller created.</summary>
    public static WorkerFleet Start(PaymentsCluster cluster, string applicationId, int count)
    {
        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < count; i++)
                workers.Add(new WorkerProcess(Run(cluster, applicationId, Path.Combine(cluster.Dev.StateDir, applicationId, $"w{i}")), _ => { }));
            return new WorkerFleet(workers);
        }
        catch
        {
            foreach (var w in workers) w.Dispose();
            throw;
        }
    }

    private static ProcessStartInfo Run(PaymentsCluster cluster, string applicationId, string stateDir)
    {
        var options = cluster.Options;
        var start = OttoCommand.StartInfo("run", "--bootstrap", cluster.BootstrapServers, "--schema-registry", options.SchemaRegistry.Url,
            "--env", options.Payments.Env, "--state-dir", stateDir);
        var env = start.Environment;
        env["Otto__Streams__ApplicationId"] = applicationId;
        env["Otto__Streams__CommitInterval"] = options.Streams.CommitInterval.ToString("c", CultureInfo.InvariantCulture);
        env["Otto__SchemaRegistry__AutoRegisterSchemas"] = "true"; // the dev registry: the worker registers its output schemas
        env["Otto__Metrics__Port"] = "0";
        // The input is produced before the group exists and read from its start: see PaymentsCluster.
        env["Otto__Payments__CatchUpLag"] = options.Payments.CatchUpLag.ToString("c", CultureInfo.InvariantCulture);
        env["Otto__Payments__CatchUpTimeout"] = options.Payments.CatchUpTimeout.ToString("c", CultureInfo.InvariantCulture);
        foreach (var (key, value) in options.Kafka.Properties) env[$"Otto__Kafka__Properties__{key}"] = value;
        return start;
    }

    /// <summary>Waits until every worker has logged where its metrics are.</summary>
    public void WaitForMetricsEndpoints(TimeSpan timeout)
    {
        var urls = new Uri?[_workers.Count];
        WaitFor(() =>
        {
            for (var i = 0; i < urls.Length; i++)
                urls[i] ??= _workers[i].OutputLines.Select(l => MetricsLine().Match(l)).Where(m => m.Success).Select(m => new Uri(m.Groups["url"].Value)).FirstOrDefault();
            return urls.All(u => u is not null);
        }, timeout, "every worker's metrics endpoint (its log line 'Metrics on ...')");
        _metrics = [.. urls.Select(u => new Uri(u!, "metrics"))];
    }

    /// <summary>Scrapes every worker every 100 ms until <paramref name="done"/> holds for the facts each has applied;
    /// returns every reading taken, each right after its scrape: the last one satisfied it.</summary>
    public IReadOnlyList<Reading> WaitFor(Func<long[], bool> done, TimeSpan timeout, string what, TextWriter output)
    {
        var lastReport = Stopwatch.StartNew();
        LongestScrape = TimeSpan.Zero;
        var readings = new List<Reading>();
        WaitFor(() =>
        {
            var reading = Read();
            readings.Add(reading);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
            {
                output.WriteLine($"bench: waiting for {what}: facts applied {string.Join(" + ", reading.Facts.Select(f => f.ToString("N0", CultureInfo.InvariantCulture)))}");
                lastReport.Restart();
            }
            return done(reading.Facts);
        }, timeout, what);
        return readings;
    }

    // The facts each worker has applied, then each one's CPU time, the wall clock and this process's CPU time.
    private Reading Read()
    {
        var facts = _metrics.Select((url, i) => (long)PrometheusText.Sum(Scrape(i), "otto_payments_facts_total")).ToArray();
        var cpu = _workers.Select(w => w.Cpu).ToArray();
        return new Reading(facts, cpu, Stopwatch.GetTimestamp(), ProcessStats.ProcessCpu());
    }

    private string Scrape(int worker)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var text = _http.GetStringAsync(_metrics[worker]).GetAwaiter().GetResult();
            if (clock.Elapsed > LongestScrape) LongestScrape = clock.Elapsed;
            return text;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"{_metrics[worker]} did not answer within {clock.Elapsed.TotalSeconds:F1} s ({e.Message}); the worker's log ends:\n{Tail(_workers[worker])}", e);
        }
    }

    private void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_workers.FirstOrDefault(w => w.HasExited) is { } exited)
                throw new InvalidOperationException($"a worker exited while waiting for {what}; its log ends:\n{Tail(exited)}");
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:F0} s waiting for {what}; the first worker's log ends:\n{Tail(_workers[0])}");
            Thread.Sleep(Poll);
        }
    }

    /// <summary>Stops every worker as a container runtime does (SIGTERM: it commits, flushes and closes) and returns
    /// their exit codes.</summary>
    public async Task<int[]> StopAsync(TimeSpan timeout)
    {
        foreach (var w in _workers) w.Terminate();
        return await Task.WhenAll(_workers.Select(w => w.ExitCodeAsync(timeout)));
    }

    private static string Tail(WorkerProcess worker) => string.Join('\n', worker.Lines.TakeLast(30));

    public void Dispose()
    {
        foreach (var w in _workers) w.Dispose();
        _http.Dispose();
    }

    /// <summary>One look at the workers: facts applied and CPU time per worker, when (Stopwatch ticks), and the CPU time
    /// of this process, which hosts the mock broker and the dev registry.</summary>
    public sealed record Reading(long[] Facts, TimeSpan[] Cpu, long At, TimeSpan BenchCpu)
    {
        public long TotalFacts => Facts.Sum();

        public TimeSpan TotalCpu => Cpu.Aggregate(TimeSpan.Zero, (a, b) => a + b);
    }

    // Logged at start: "Metrics on http://127.0.0.1:36867/metrics, health on ...".
    [GeneratedRegex(@"Metrics on (?<url>http://\S+/)metrics,")]
    private static partial Regex MetricsLine();
}
