using System.Diagnostics;
using System.Globalization;

namespace Otto.Bench;

/// <summary>
/// Scale-out: 1, 2 and 3 `otto run` processes (<see cref="WorkerFleet"/>) in one group over the same input. One
/// embedded cluster in this process (mock Kafka + dev registry) holds the realistic fact mix
/// (<see cref="PaymentsWorkload.Mix"/>), produced once, on 6 partitions per topic so every worker count gets an even
/// share; each round runs with a fresh application id, so it reads the same input from its start, on state of its own.
/// <para>The clock of a round starts once every worker has applied <c>--warm-up</c> facts: each process has compiled
/// its hot code (tiered JIT) and the group has settled with all N holding partitions. It stops when the facts applied,
/// summed over the workers' /metrics (<c>otto_payments_facts_total</c>), reach the input's count; also reported, the
/// rate until the first worker ran out of input (while all N were at work). Over the whole window: the workers' CPU time (utime + stime of each process, summed) per fact applied in it, and this process's
/// own CPU, mostly the mock broker's, reported apart: a real broker's is not the worker's.</para>
/// <para>On a 2-core machine the workers share the same two cores whatever N is: a second worker can use the core one
/// worker's single stream thread leaves idle, beyond that this shows what splitting the work costs per fact, not a
/// speed-up.</para>
/// </summary>
public sealed class ScaleOut : IBenchmark
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3), RunTimeout = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public string Name => "scale-out";

    /// <inheritdoc />
    public string Description => "1, 2 and 3 `otto run` processes over the same pre-produced facts: facts/s, worker and broker CPU per fact [payments, default 12000] [--partitions=N, default 6] [--warm-up=facts per worker, default 3000] [--workers=1,2,3]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        var arguments = new BenchArgs(args);
        var payments = (int)arguments.Number(0, 12_000);
        var partitions = (int)arguments.Number("partitions", 6);
        var warmUp = (long)arguments.Number("warm-up", 3_000);
        var counts = (arguments.Value("workers") ?? "1,2,3").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();

        // 12,000 payments = 80,040 facts, 5.9 MiB over six topics of 6 partitions: under 1 MiB a partition, the mock keeps ~5 MiB.
        await using var cluster = await PaymentsCluster.StartAsync("scale", partitions);
        var start = DateTimeOffset.UtcNow;
        var workload = new PaymentsWorkload(start, TimeSpan.FromMilliseconds(10));
        var facts = workload.Interleaved(Enumerable.Range(0, payments).Select(i => (i, PaymentsWorkload.Mix(i))), inFlight: 100).Select(cluster.ToMessage).ToList();
        cluster.ProduceAccounts(start);
        foreach (var byTopic in facts.GroupBy(f => f.Topic))
            EmbeddedRawPipe.Produce(cluster.BootstrapServers, byTopic.Key, byTopic.Select(f => f.Message));
        output.WriteLine($"bench: {payments:N0} payments, {facts.Count:N0} facts ({facts.Sum(f => (long)f.Message.Key.Length + f.Message.Value.Length) / 1024.0 / 1024.0:F1} MiB) " +
            $"on {facts.Select(f => f.Topic).Distinct().Count()} topics of {partitions} partitions; {Environment.ProcessorCount} cores; workers {string.Join(", ", counts)}; " +
            $"the clock starts when every worker has applied {warmUp:N0} facts");

        var rounds = new List<Round>();
        foreach (var n in counts) rounds.Add(await RunRoundAsync(cluster, n, partitions, facts.Count, warmUp, output));

        // The baseline is the first round (1 worker by default), measured in this run on the same input.
        var baseline = rounds[0];
        var others = rounds.Skip(1).ToList();
        string Ratios(string name, Func<Round, double> value) =>
            string.Join(" ", others.Select(r => string.Create(CultureInfo.InvariantCulture, $"{name}_{r.Workers}={value(r) / value(baseline):F3}")));
        output.WriteLine($"bench: against workers={baseline.Workers}: {Ratios("facts_per_s_ratio", r => r.FactsPerSecond)} " +
            $"{Ratios("all_busy_facts_per_s_ratio", r => r.AllBusyFactsPerSecond)} {Ratios("cpu_per_fact_ratio", r => r.CpuPerFact)} " +
            $"{Ratios("broker_cpu_per_fact_ratio", r => r.BrokerCpuPerFact)} cores={Environment.ProcessorCount} " +
            $"(all workers share these {Environment.ProcessorCount} cores and this process's broker: once they are busy, more workers add overhead, not speed)");
    }

    private sealed record Round(int Workers, long Facts, double Seconds, double CpuPerFact, double BrokerCpuPerFact, double AllBusyFactsPerSecond)
    {
        public double FactsPerSecond => Facts / Seconds;

        /// <summary>The workers' CPU per second of the window: how many cores they kept busy.</summary>
        public double Cores => CpuPerFact * FactsPerSecond / 1e6;
    }

    private static async Task<Round> RunRoundAsync(PaymentsCluster cluster, int n, int partitions, int total, long warmUp, TextWriter output)
    {
        var applicationId = $"otto-scale{n}-{Guid.NewGuid():N}"[..20];
        cluster.Dev.CreateApplicationTopics(cluster.Options.Payments.Env, applicationId, partitions);
        var loadBefore = LoadAverage();
        var started = Stopwatch.StartNew();
        using var fleet = WorkerFleet.Start(cluster, applicationId, n);
        fleet.WaitForMetricsEndpoints(StartTimeout);
        var from = fleet.WaitFor(applied => applied.All(f => f >= warmUp), StartTimeout, $"each of {n} workers to apply {warmUp:N0} facts", output)[^1];
        var startedIn = started.Elapsed;
        var window = fleet.WaitFor(applied => applied.Sum() >= total, RunTimeout, $"{total:N0} facts applied", output);
        var longestScrape = fleet.LongestScrape;
        var exits = await fleet.StopAsync(TimeSpan.FromSeconds(60));

        var to = window[^1];
        var facts = to.TotalFacts - from.TotalFacts;
        var seconds = Seconds(from, to);
        var cpu = to.TotalCpu - from.TotalCpu;
        var brokerCpu = to.BenchCpu - from.BenchCpu;
        // The workers seldom start together, so the one that joined first is ahead and runs out of input first: the
        // window's rate includes a tail with fewer than N busy. Also the rate until the first worker had applied its last
        // fact (the first reading showing its final count), while all N were at work.
        var allBusy = Enumerable.Range(0, n).Select(i => window.First(r => r.Facts[i] == to.Facts[i])).MinBy(r => r.At)!;
        var allBusySeconds = Seconds(from, allBusy);
        var allBusyRate = allBusySeconds >= 1 ? (allBusy.TotalFacts - from.TotalFacts) / allBusySeconds : double.NaN;
        var round = new Round(n, facts, seconds, cpu.TotalMicroseconds / facts, brokerCpu.TotalMicroseconds / facts, allBusyRate);

        var perWorker = string.Join(", ", Enumerable.Range(0, n).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"w{i} {to.Facts[i] - from.Facts[i]:N0} facts {(to.Cpu[i] - from.Cpu[i]).TotalSeconds:F2} s")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {n} worker{(n == 1 ? "" : "s")}: {facts:N0} facts in {seconds:F2} s = {round.FactsPerSecond:N0} facts/s " +
            $"({allBusyRate:N0} facts/s over the first {allBusySeconds:F2} s, while all were at work); worker CPU {cpu.TotalSeconds:F2} s = " +
            $"{round.CpuPerFact:F0} µs/fact, {round.Cores:F2} cores busy ({perWorker}); this process (mock broker, registry) {brokerCpu.TotalSeconds:F2} s = " +
            $"{round.BrokerCpuPerFact:F0} µs/fact; clock started {startedIn.TotalSeconds:F1} s after the start with {from.TotalFacts:N0} facts applied; " +
            $"{to.TotalFacts:N0} applied of {total:N0}; longest scrape in the window {longestScrape.TotalMilliseconds:F0} ms; exit codes {string.Join("/", exits)}; " +
            $"load {loadBefore} → {LoadAverage()}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: workers={n} facts={facts} facts_per_s={round.FactsPerSecond:F0} cpu_us_per_fact={round.CpuPerFact:F1} broker_cpu_us_per_fact={round.BrokerCpuPerFact:F1} " +
            $"all_busy_facts_per_s={allBusyRate:F0} worker_cores={round.Cores:F2} seconds={seconds:F2} warm_up_facts={from.TotalFacts} load={LoadAverage()}"));
        return round;
    }

    private static double Seconds(WorkerFleet.Reading from, WorkerFleet.Reading to) => Stopwatch.GetElapsedTime(from.At, to.At).TotalSeconds;

    // The 1-minute load average (/proc/loadavg): other work on this shared machine.
    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
