using System.Diagnostics;
using System.Globalization;
using Otto.Streams.Worker.Demo;

namespace Otto.Bench;

/// <summary>
/// The full payments topology on Streamiz (nine rules, RocksDB stores with changelogs, Avro in the Confluent wire
/// format, the Account global table, the duplicate detector's repartition hop, Otto's supplier and dead letters) on
/// the embedded cluster, against the raw consume→produce pipe over the same messages in the same run. The facts are a
/// realistic mix (<see cref="PaymentsWorkload.Mix"/>), pre-produced to their source systems' topics; the raw pipe
/// copies the same messages from one topic. The raw clock starts when its consumer has its partitions, the topology's
/// after the warm-up facts are applied. The topology is done when the payment processor has applied every fact
/// (otto.payments.facts) and Streamiz's threads have processed every record they read (Streamiz's process-total: the
/// facts plus each PaymentAdded again after its repartition hop).
/// </summary>
public sealed class PaymentsEmbedded : IBenchmark
{
    private const string RawIn = "payments-bench.raw.in", RawOut = "payments-bench.raw.out";

    // Processed before the clocks start, by the topology and by the raw pipe alike: the topology's code is compiled
    // by the JIT as it first runs (tiered), which on a 2-core machine takes seconds of CPU; the figures are for
    // the steady state.
    private const int WarmUpPayments = 2_000;

    /// <inheritdoc />
    public string Name => "payments-embedded";

    /// <inheritdoc />
    public string Description => "full payments topology on the embedded cluster vs the raw consume→produce pipe, realistic fact mix [payments, default 12000] [--max-task-idle-ms=N, default Otto's 500] [--set=key=value ...: Otto:Kafka:Properties]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        // 12,000 timed payments ≈ 80,000 facts, after 2,000 warm-up payments: ≈ 7 MiB of input, under the mock's
        // ~5 MiB per partition on 4 partitions for the raw pipe's single input topic as for the topology's six.
        var arguments = new BenchArgs(args);
        var payments = (int)arguments.Number(0, 12_000);
        await using var cluster = await PaymentsCluster.StartAsync("pbench", RawIn, RawOut);
        var settings = cluster.Configure(arguments);

        var start = DateTimeOffset.UtcNow;
        var workload = new PaymentsWorkload(start, TimeSpan.FromMilliseconds(10));
        List<(string Topic, Confluent.Kafka.Message<byte[], byte[]> Message)> Facts(int from, int count) =>
            [.. workload.Interleaved(Enumerable.Range(from, count).Select(i => (i, PaymentsWorkload.Mix(i))), inFlight: 100).Select(cluster.ToMessage)];
        var warmUp = Facts(0, WarmUpPayments);
        var timed = Facts(WarmUpPayments, payments);
        var all = warmUp.Concat(timed).ToList();
        var added = all.Count(f => f.Topic == cluster.Topics.PaymentAdded);
        var bytes = timed.Sum(f => (long)f.Message.Key.Length + f.Message.Value.Length);
        cluster.ProduceAccounts(start);
        foreach (var byTopic in all.GroupBy(f => f.Topic)) // warm-up facts first on every topic
            EmbeddedRawPipe.Produce(cluster.BootstrapServers, byTopic.Key, byTopic.Select(f => f.Message));
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, RawIn, all.Select(f => f.Message));
        output.WriteLine($"bench: {payments:N0} payments, {timed.Count:N0} facts timed after {WarmUpPayments:N0} payments ({warmUp.Count:N0} facts) of warm-up; " +
            $"{bytes / (double)timed.Count:F0} bytes/fact (key + value) on {all.Select(f => f.Topic).Distinct().Count()} topics; produced to the topology's topics and to the raw pipe's");

        var rawAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var rawCpu = ProcessStats.ProcessCpu();
        var raw = EmbeddedRawPipe.Run(cluster.BootstrapServers, RawIn, RawOut, timed.Count, output, warmUp: warmUp.Count);
        rawCpu = ProcessStats.ProcessCpu() - rawCpu;
        rawAllocated = GC.GetTotalAllocatedBytes(precise: true) - rawAllocated;
        output.WriteLine($"bench: raw pipe: {timed.Count:N0} records in {raw.TotalSeconds:F2} s ({rawCpu.TotalSeconds:F2} s of process CPU, warm-up and group join included)");

        var topologyAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var topologyCpu = ProcessStats.ProcessCpu();
        var (topology, counts) = await RunTopologyAsync(cluster, warmUp.Count, all.Count, all.Count + added, output);
        topologyCpu = ProcessStats.ProcessCpu() - topologyCpu;
        topologyAllocated = GC.GetTotalAllocatedBytes(precise: true) - topologyAllocated;
        output.WriteLine($"bench: topology: {timed.Count:N0} facts in {topology.TotalSeconds:F2} s ({topologyCpu.TotalSeconds:F2} s of process CPU, warm-up and start-up included); {counts}");

        var rawEps = timed.Count / raw.TotalSeconds;
        var topologyEps = timed.Count / topology.TotalSeconds;
        var ratio = topologyEps / rawEps;
        // Allocation over every fact of the run (warm-up included), per fact.
        var topologyBytes = topologyAllocated / all.Count;
        var rawBytes = rawAllocated / all.Count;
        output.WriteLine($"bench: topology {topologyEps:N0} facts/s, raw pipe {rawEps:N0} records/s, ratio {ratio:F3} (target ≥ 0.5); " +
            $"allocated {topologyBytes:N0} B/fact (raw pipe {rawBytes:N0} B/record)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: topology_eps={topologyEps:F0} raw_pipe_eps={rawEps:F0} ratio={ratio:F3} topology_bytes_per_record={topologyBytes} " +
            $"raw_bytes_per_record={rawBytes} facts={timed.Count} payments={payments} {settings} target_met={(ratio >= 0.5 ? "yes" : "no")}"));
    }

    // The clock runs from the last warm-up fact applied until every fact is applied and every record read is processed,
    // then through the closing commit (changelogs and offsets flushed belong to the work measured).
    private static async Task<(TimeSpan Elapsed, string Counts)> RunTopologyAsync(PaymentsCluster cluster, int warmUp, int facts, int records, TextWriter output)
    {
        using var meter = new ProgressMeter();
        long Facts() => meter.Total("otto.payments.facts");
        var clock = new Stopwatch();
        long processed;
        using (var otto = await cluster.StartOttoAsync())
        {
            long Records() => StreamizProgress.Processed(otto.Stream) + meter.Total("otto.streams.dead.letters");
            // Polled every millisecond: the clock starts within about a millisecond of the last warm-up fact.
            otto.WaitFor(() => Facts() >= warmUp, () => $"topology warm-up: {Facts():N0}/{warmUp:N0} facts applied", output,
                TimeSpan.FromMinutes(5), poll: TimeSpan.FromMilliseconds(1));
            clock.Start();
            // Streamiz's sensors are polled only once every fact is applied, so the polling does not compete with the work.
            otto.WaitFor(() => Facts() >= facts, () => $"topology: {Facts():N0}/{facts:N0} facts applied", output, TimeSpan.FromMinutes(10));
            otto.WaitFor(() => Records() >= records,
                () => $"topology: {Records():N0}/{records:N0} records processed", output, TimeSpan.FromMinutes(10));
            processed = StreamizProgress.Processed(otto.Stream);
        }
        clock.Stop();
        var deadLetters = meter.Total("otto.streams.dead.letters");
        if (deadLetters > 0) throw new InvalidOperationException($"{deadLetters} facts were dead-lettered: the workload is wrong.");
        // Each anomaly of the mix is flagged once by its rule, as soon as its facts are applied in order.
        var byRule = string.Join(", ", Otto.Payments.Rules.PaymentRules.Names.Select(r => (Rule: r, Count: meter.Total("otto.payments.flags", $"rule={r}")))
            .Where(r => r.Count > 0).Select(r => $"{r.Rule} {r.Count}"));
        return (clock.Elapsed, $"{meter.Line()}, records processed={processed:N0}; flags by rule: {byRule}");
    }
}
