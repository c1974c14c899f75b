using System.Diagnostics;
using System.Globalization;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.DevSchemaRegistry;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Bench;

/// <summary>
/// One million payments (real <see cref="PaymentState"/> values through the payments serdes) in the payment
/// store with the default memory settings: resident memory of the process (VmRSS) after loading, and a full
/// sweep (range iteration, deserializing every state, as the StuckStatus punctuation does). The in-memory
/// store, same values, is the baseline.
/// </summary>
public sealed class StorePayments : IBenchmark
{
    private const int Batch = 10_000;

    public string Name => "store-payments";

    public string Description => "1M payments in the payment store: RSS (default memory settings) and full sweep time, RocksDB vs in-memory [payments, default 1000000]";

    public Task RunAsync(string[] args, TextWriter output)
    {
        var payments = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var serdes = new PaymentsSerDes(InProcessRegistry.Client, autoRegisterSchemas: true);
        var start = ResidentMiB();
        output.WriteLine($"bench: process RSS before loading {start:F0} MiB");

        var rocks = Run("rocksdb", new RocksDbKeyValueStore("payments"), serdes, payments, output);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var memory = Run("in-memory", new InMemoryKeyValueStore("payments"), serdes, payments, output);

        output.WriteLine($"bench: rocksdb_rss_mib={rocks.RssMiB:F0} rocksdb_peak_rss_mib={rocks.PeakMiB:F0} rocksdb_load_s={rocks.Load.TotalSeconds:F2} " +
            $"rocksdb_sweep_s={rocks.Sweep.TotalSeconds:F2} rocksdb_sweep_cpu_s={rocks.SweepCpu.TotalSeconds:F2} rocksdb_bytes_scan_s={rocks.BytesScan.TotalSeconds:F2} " +
            $"memory_sweep_s={memory.Sweep.TotalSeconds:F2} memory_sweep_cpu_s={memory.SweepCpu.TotalSeconds:F2} memory_rss_mib={memory.RssMiB:F0} " +
            $"sweep_ratio={rocks.Sweep.TotalSeconds / memory.Sweep.TotalSeconds:F2} payments={payments}");
        return Task.CompletedTask;
    }

    private static (double RssMiB, double PeakMiB, TimeSpan Load, TimeSpan Sweep, TimeSpan SweepCpu, TimeSpan BytesScan) Run(string kind,
        IKeyValueStore<Bytes, byte[]> bytes, PaymentsSerDes serdes, int payments, TextWriter output)
    {
        var supplier = new GivenStoreSupplier(bytes);
        using var memory = new RocksDbMemory(); // the defaults a KafkaStream gets
        using var context = new StoreBenchContext(memory);
        var store = (IKeyValueStore<string, PaymentState>)Stores.KeyValueStoreBuilder(supplier, serdes.Key, serdes.Value<PaymentState>())
            .WithLoggingDisabled().Build();
        store.Init(context);

        var since = DateTimeOffset.UtcNow;
        var load = Stopwatch.StartNew();
        for (var from = 0; from < payments; from += Batch)
            store.PutAll(Enumerable.Range(from, Math.Min(Batch, payments - from))
                .Select(i => new KeyValuePair<string, PaymentState?>(Id(i), State(i, since))));
        load.Stop();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var rss = ResidentMiB();
        output.WriteLine($"bench: {kind}: loaded {payments:N0} payments in {load.Elapsed.TotalSeconds:F1} s; RSS {rss:F0} MiB" +
            (kind == "rocksdb" ? $", block cache {memory.BlockCacheUsage / 1048576.0:F0} MiB" : ""));

        // The store alone: iterate and copy the bytes out, no deserialization.
        var scan = Stopwatch.StartNew();
        using (var all = bytes.All())
            if (all.Count() != payments) throw new InvalidOperationException("the bytes scan missed payments");
        scan.Stop();

        var cpu = StoreBenchContext.ThreadCpuTime();
        var sweep = Stopwatch.StartNew();
        long seen = 0, stuck = 0;
        using (var all = store.All())
            foreach (var (_, state) in all)
            {
                seen++;
                if (state.Status == PaymentStatus.PROCESSING) stuck++;
            }
        sweep.Stop();
        var sweepCpu = StoreBenchContext.ThreadCpuTime() - cpu;
        if (seen != payments) throw new InvalidOperationException($"the sweep saw {seen} of {payments} payments");
        var afterSweep = ResidentMiB();
        output.WriteLine($"bench: {kind}: swept {seen:N0} payments ({stuck:N0} processing) in {sweep.Elapsed.TotalSeconds:F2} s " +
            $"({sweepCpu.TotalSeconds:F2} s of CPU); bytes alone scanned in {scan.Elapsed.TotalSeconds:F2} s; RSS after sweep {afterSweep:F0} MiB");
        store.Close();
        return (Math.Max(rss, afterSweep), ResidentMiB("VmHWM"), load.Elapsed, sweep.Elapsed, sweepCpu, scan.Elapsed);
    }

    private static string Id(int i) => $"pay-{i:D10}";

    // A payment as the topology keeps it after PaymentAdded: ids, amount, rail, a short history.
    private static PaymentState State(int i, DateTimeOffset since) => new()
    {
        PaymentId = Id(i),
        Added = true,
        Rail = (PaymentRail)(i % 3),
        Amount = 100m + i % 10_000 / 100m,
        Currency = "EUR",
        Status = i % 10 == 0 ? PaymentStatus.PROCESSING : PaymentStatus.COMPLETED,
        StatusSince = since,
        History =
        [
            new HistoryEntry { EventId = $"{Id(i)}-added", Type = "PaymentAdded", Source = "CPR", OccurredAt = since, Outcome = "applied" },
            new HistoryEntry { EventId = $"{Id(i)}-status-1", Type = "PaymentStatusChanged", Source = "CPR", OccurredAt = since, Outcome = "applied" },
        ],
    };

    private static double ResidentMiB(string field = "VmRSS") => StoreBenchContext.ResidentMiB(field);
}
