using System.Diagnostics;
using System.Text;
using Otto.Streams;
using Otto.Streams.SerDes;
using Otto.Streams.TestDriver;

namespace Otto.Bench;

/// <summary>What the in-process benchmarks share: pre-serialized input, a timed run through the TopologyTestDriver
/// (the same task code as a KafkaStream, with an in-memory producer), a timed baseline, and the report.</summary>
internal static class InProcessHarness
{
    public static readonly StringSerDes Strings = new();

    public static StreamConfig Config(string app) => new() { ApplicationId = app, DefaultKeySerDes = Strings, DefaultValueSerDes = Strings };

    /// <summary>Keys k0..k{keys-1} in turn and short values, as UTF-8 bytes.</summary>
    public static (byte[] Key, byte[] Value)[] Records(int count, int keys, Func<int, string> value) =>
        Enumerable.Range(0, count).Select(i => (Encoding.UTF8.GetBytes($"k{i % keys}"), Encoding.UTF8.GetBytes(value(i)))).ToArray();

    /// <summary>Warms up on throw-away instances from <paramref name="setup"/> for a second (so the JIT has tiered up even
    /// on a loaded machine), then times one fresh instance over all records; returns (records/s, bytes allocated per record).
    /// <paramref name="setup"/> returns the work over records [from, to) and what to dispose afterwards.</summary>
    public static (double Eps, double BytesPerRecord) Measure(int records, Func<(Action<int, int> Work, IDisposable? Owner)> setup)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1))
        {
            var (warm, owner) = setup();
            warm(0, Math.Min(records, 20_000));
            owner?.Dispose();
        }
        var (work, timedOwner) = setup();
        using var _ = timedOwner;
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        work(0, records);
        clock.Stop();
        return (records / clock.Elapsed.TotalSeconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)records);
    }

    public static void Pipe(TestInputTopic<string, string> input, (byte[] Key, byte[] Value)[] records, int from, int to)
    {
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        for (var i = from; i < to; i++) input.PipeRaw(records[i].Key, records[i].Value, timestamp);
    }

    public static void Report(TextWriter output, string name, int records, (double Eps, double Bytes) topology, (double Eps, double Bytes) baseline, double target)
    {
        output.WriteLine($"{name}: {records:N0} records; topology {topology.Eps:N0} records/s, {topology.Bytes:F0} B/record; " +
            $"plain loop {baseline.Eps:N0} records/s, {baseline.Bytes:F0} B/record; target {target:N0} records/s");
        output.WriteLine($"bench: topology_eps={topology.Eps:F0} baseline_eps={baseline.Eps:F0} ratio={topology.Eps / baseline.Eps:F3} " +
            $"bytes_per_record={topology.Bytes:F0} baseline_bytes_per_record={baseline.Bytes:F0} target_met={(topology.Eps >= target ? "yes" : "no")}");
    }

    public static int RecordsArg(string[] args, int fallback) =>
        args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
