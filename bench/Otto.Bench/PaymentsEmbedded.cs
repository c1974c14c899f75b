using System.Diagnostics;
using System.Globalization;
using Otto.Payments.Model;
using Otto.Streams.Worker.Demo;

namespace Otto.Bench;

/// <summary>
/// The full payments topology (nine rules, RocksDB stores with changelogs, Avro in the Confluent wire format, the
/// Account global table, the duplicate detector's repartition hop) on the embedded cluster, against the raw
/// consume→produce pipe over the same messages in the same run. The facts are a realistic mix
/// (<see cref="PaymentsWorkload.Mix"/>), pre-produced to their source systems' topics; the raw pipe copies the same
/// messages from one topic. Each clock starts when its consumer has its partitions. The topology is done when the
/// payment processor has applied every fact (otto.payments.facts) and its tasks have processed every record they
/// read (otto.streams.records.processed: the facts plus each PaymentAdded again after its repartition hop).
/// </summary>
public sealed class PaymentsEmbedded : IBenchmark
{
    private const string RawIn = "payments-bench.raw.in", RawOut = "payments-bench.raw.out";

    public string Name => "payments-embedded";

    public string Description => "full payments topology on the embedded cluster vs the raw consume→produce pipe, realistic fact mix [payments, default 12000]";

    public async Task RunAsync(string[] args, TextWriter output)
    {
        // 12,000 payments ≈ 80,000 facts ≈ 8 MiB of input: under the mock's ~5 MiB per partition on 4 partitions,
        // for the raw pipe's single input topic as for the topology's seven.
        var payments = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 12_000;
        await using var cluster = await PaymentsCluster.StartAsync("pbench", RawIn, RawOut);

        var start = DateTimeOffset.UtcNow;
        var workload = new PaymentsWorkload(start, TimeSpan.FromMilliseconds(10));
        var facts = workload.Interleaved(Enumerable.Range(0, payments).Select(i => (i, PaymentsWorkload.Mix(i))), inFlight: 100)
            .Select(cluster.ToMessage).ToList();
        var added = facts.Count(f => f.Topic == cluster.Topics.PaymentAdded);
        var bytes = facts.Sum(f => (long)f.Message.Key.Length + f.Message.Value.Length);
        cluster.ProduceAccounts(start);
        foreach (var byTopic in facts.GroupBy(f => f.Topic))
            EmbeddedRawPipe.Produce(cluster.BootstrapServers, byTopic.Key, byTopic.Select(f => f.Message));
        EmbeddedRawPipe.Produce(cluster.BootstrapServers, RawIn, facts.Select(f => f.Message));
        output.WriteLine($"bench: {payments:N0} payments, {facts.Count:N0} facts ({added:N0} PaymentAdded) on {facts.Select(f => f.Topic).Distinct().Count()} topics, " +
            $"{bytes / (double)facts.Count:F0} bytes/fact (key + value), {bytes / 1048576.0:F1} MiB; produced to the topology's topics and to the raw pipe's");

        var rawAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var raw = EmbeddedRawPipe.Run(cluster.BootstrapServers, RawIn, RawOut, facts.Count, output);
        rawAllocated = GC.GetTotalAllocatedBytes(precise: true) - rawAllocated;
        output.WriteLine($"bench: raw pipe: {facts.Count:N0} records in {raw.TotalSeconds:F2} s");

        var topologyAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var (topology, counts) = RunTopology(cluster, facts.Count, facts.Count + added, output);
        topologyAllocated = GC.GetTotalAllocatedBytes(precise: true) - topologyAllocated;
        output.WriteLine($"bench: topology: {facts.Count:N0} facts in {topology.TotalSeconds:F2} s; {counts}");

        var rawEps = facts.Count / raw.TotalSeconds;
        var topologyEps = facts.Count / topology.TotalSeconds;
        var ratio = topologyEps / rawEps;
        output.WriteLine($"bench: topology {topologyEps:N0} facts/s, raw pipe {rawEps:N0} records/s, ratio {ratio:F3} (target ≥ 0.5); " +
            $"allocated {topologyAllocated / facts.Count:N0} B/fact (raw pipe {rawAllocated / facts.Count:N0} B/record)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: topology_eps={topologyEps:F0} raw_pipe_eps={rawEps:F0} ratio={ratio:F3} topology_bytes_per_record={topologyAllocated / facts.Count} " +
            $"raw_bytes_per_record={rawAllocated / facts.Count} facts={facts.Count} payments={payments} target_met={(ratio >= 0.5 ? "yes" : "no")}"));
    }

    // The clock runs from Running until every fact is applied and every record read is processed, then through the
    // closing commit (changelogs and offsets flushed belong to the work measured).
    private static (TimeSpan Elapsed, string Counts) RunTopology(PaymentsCluster cluster, int facts, int records, TextWriter output)
    {
        using var meter = new ProgressMeter();
        long Facts() => meter.Total("otto.payments.facts");
        long Records() => meter.Total("otto.streams.records.processed") + meter.Total("otto.streams.dead.letters");
        var clock = new Stopwatch();
        using (var stream = cluster.StartOtto(clock))
        {
            PaymentsCluster.WaitFor(stream, () => Facts() >= facts && Records() >= records,
                () => $"topology: {Facts():N0}/{facts:N0} facts applied, {Records():N0}/{records:N0} records processed", output, TimeSpan.FromMinutes(10));
            stream.Close();
            clock.Stop();
        }
        var deadLetters = meter.Total("otto.streams.dead.letters");
        if (deadLetters > 0) throw new InvalidOperationException($"{deadLetters} facts were dead-lettered: the workload is wrong.");
        return (clock.Elapsed, $"{meter.Line()}, records processed={meter.Total("otto.streams.records.processed"):N0}");
    }
}
