using System.Diagnostics;
using System.Globalization;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Model;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Otto.DevSchemaRegistry;
using Otto.Streams.Processors;
using Otto.Streams.Runtime;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Bench;

/// <summary>
/// One million payments in the payment store (RocksDB with the default memory budget, the topology's serdes and
/// store layers), each the <see cref="PaymentState"/> the processor would have built from the realistic fact mix:
/// folded by <see cref="FactApplier"/>, the rules run after every fact as <see cref="PaymentProcessor"/> runs them,
/// and a sweep's worth of timed checks one sweep interval before the measured one. Then one SLA sweep, timed: the
/// <see cref="PaymentProcessor"/>'s own wall-clock punctuation (one range scan, every rule's check on every payment,
/// changed payments written back and their outputs forwarded), called through a processor context that hands it the
/// store. Resident memory is read from /proc/self/status (VmRSS now, VmHWM the peak).
/// </summary>
public sealed class PaymentsSweep : IBenchmark
{
    private const int Batch = 10_000;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public string Name => "payments-sweep";

    public string Description => "1M realistic payment states in RocksDB: one full SLA sweep of the payment processor, time and RSS [payments, default 1000000]";

    public Task RunAsync(string[] args, TextWriter output)
    {
        var payments = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var options = new PaymentsOptions { Env = "bench" };
        var serdes = new PaymentsSerDes(InProcessRegistry.Client, autoRegisterSchemas: true);
        // The payments of the last day; the newest completed a few minutes before the sweep.
        var now = DateTimeOffset.UtcNow;
        var workload = new PaymentsWorkload(now - Day - TimeSpan.FromMinutes(5), Day / payments);
        output.WriteLine($"bench: process RSS before loading {StoreBenchContext.ResidentMiB():F0} MiB");

        using var memory = new RocksDbMemory();
        using var storeContext = new StoreBenchContext(memory);
        var bytes = new RocksDbKeyValueStore(PaymentProcessor.StoreName);
        var store = (IKeyValueStore<string, PaymentState>)Stores.KeyValueStoreBuilder(
            new GivenStoreSupplier(bytes), serdes.Key, serdes.Value<PaymentState>()).Build();
        store.Init(storeContext);
        var due = (IStateStore)Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.SweepStoreName),
            serdes.Key, serdes.Value<SweepDue>()).Build();
        due.Init(storeContext);
        var context = new SweepContext([store, due], now);
        var processor = new PaymentProcessor(options);
        processor.Init(context);

        var (load, stateBytes) = Load(processor, context, store, workload, payments, output);
        // The first sweep after loading does what a day of sweeps would have done (every SLA that came due); the
        // measured one, a sweep interval later, is the steady state.
        var first = Timed(() => context.Sweep(now - options.SweepInterval));
        output.WriteLine($"bench: first sweep after loading (every SLA of the day due at once): {first.Wall.TotalSeconds:F2} s ({first.Cpu.TotalSeconds:F2} s of CPU), outputs {context.Outputs}");
        context.Forget();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var loadedRss = StoreBenchContext.ResidentMiB();
        output.WriteLine($"bench: loaded {payments:N0} payments in {load.TotalSeconds:F1} s, {stateBytes / (double)payments:F0} bytes/state (Avro); " +
            $"RSS {loadedRss:F0} MiB, block cache {memory.BlockCacheUsage / 1048576.0:F0} MiB");

        // What the sweep is made of: the store's own scan, then the scan with every state decoded.
        var scan = Timed(() => Count(bytes.All()));
        var decode = Timed(() => Count(store.All()));
        output.WriteLine($"bench: the store alone scans {payments:N0} payments in {scan.Wall.TotalSeconds:F2} s ({scan.Cpu.TotalSeconds:F2} s of CPU); " +
            $"with every state decoded {decode.Wall.TotalSeconds:F2} s ({decode.Cpu.TotalSeconds:F2} s of CPU)");

        var cpu = StoreBenchContext.ThreadCpuTime();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        context.Sweep(now);
        clock.Stop();
        var sweepCpu = StoreBenchContext.ThreadCpuTime() - cpu;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var rss = StoreBenchContext.ResidentMiB();
        var peak = StoreBenchContext.ResidentMiB("VmHWM");
        store.Close();

        var sweep = clock.Elapsed.TotalSeconds;
        output.WriteLine($"bench: swept {payments:N0} payments in {sweep:F2} s ({sweepCpu.TotalSeconds:F2} s of CPU, {allocated / (double)payments:F0} B allocated/payment); " +
            $"outputs {context.Outputs}; RSS {rss:F0} MiB, peak {peak:F0} MiB (targets: sweep < 2 s, RSS < 500 MiB)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: sweep_s={sweep:F2} sweep_cpu_s={sweepCpu.TotalSeconds:F2} sweep_bytes_per_payment={allocated / payments} rss_mib={rss:F0} peak_rss_mib={peak:F0} " +
            $"scan_cpu_s={scan.Cpu.TotalSeconds:F2} decode_scan_cpu_s={decode.Cpu.TotalSeconds:F2} load_s={load.TotalSeconds:F1} state_bytes={stateBytes / payments} payments={payments} target_met={(payments >= 1_000_000 && sweep < 2 && peak < 500 ? "yes" : "no")}"));
        return Task.CompletedTask;
    }

    // The processor itself folds each payment's facts (rules after every fact, the sweep index kept), each at its
    // occurred-at time.
    private static (TimeSpan Elapsed, long StateBytes) Load(PaymentProcessor processor, SweepContext context,
        IKeyValueStore<string, PaymentState> store, PaymentsWorkload workload, int payments, TextWriter output)
    {
        var bytes = 0L;
        var serdes = new PaymentsSerDes(InProcessRegistry.Client, autoRegisterSchemas: true).Value<PaymentState>();
        var serialization = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "size");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < payments; i++)
        {
            var id = PaymentsWorkload.PaymentId(i);
            foreach (var fact in workload.Facts(i, PaymentsWorkload.Mix(i)))
            {
                var at = PaymentsWorkload.Describe(fact).OccurredAt.ToUnixTimeMilliseconds();
                context.At(at);
                processor.Process(new Record<string, PaymentEvent>(id, fact, at));
            }
            if (i % 1_000 == 0) bytes += serdes.Serialize(store.Get(id)!, serialization).Length * 1_000L;
            if ((i + 1) % 100_000 == 0) output.WriteLine($"bench: loading {i + 1:N0}/{payments:N0} payments ({clock.Elapsed.TotalSeconds:F0} s, RSS {StoreBenchContext.ResidentMiB():F0} MiB)");
        }
        store.Flush();
        return (clock.Elapsed, bytes);
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Timed(Action action)
    {
        var cpu = StoreBenchContext.ThreadCpuTime();
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed, StoreBenchContext.ThreadCpuTime() - cpu);
    }

    private static void Count<K, V>(IKeyValueIterator<K, V> all)
    {
        using (all)
            foreach (var _ in all) { }
    }

    /// <summary>The processor's context outside a task: hands it the payment store, keeps its wall-clock punctuation to
    /// call on demand and counts what it forwards.</summary>
    private sealed class SweepContext(IReadOnlyList<IStateStore> stores, DateTimeOffset now) : IProcessorContext<string, PaymentOutput>
    {
        private readonly Dictionary<string, int> _forwarded = [];
        private Action<long>? _sweep;

        public string ApplicationId => "bench";
        public TaskId TaskId => new(0, 0);
        public RecordMetadata? RecordMetadata => null;
        public long CurrentStreamTimeMs => -1;
        public long CurrentSystemTimeMs { get; private set; } = now.ToUnixTimeMilliseconds();

        public string Outputs => _forwarded.Count == 0 ? "none" : string.Join(", ", _forwarded.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value:N0}"));

        public void Sweep(DateTimeOffset at)
        {
            At(at.ToUnixTimeMilliseconds());
            (_sweep ?? throw new InvalidOperationException("The processor scheduled no sweep."))(CurrentSystemTimeMs);
        }

        public void Forward(Record<string, PaymentOutput> record) =>
            _forwarded[record.Value.GetType().Name] = _forwarded.GetValueOrDefault(record.Value.GetType().Name) + 1;

        public void Forward(Record<string, PaymentOutput> record, string childName) => Forward(record);

        public TStore GetStateStore<TStore>(string name) where TStore : IStateStore =>
            (TStore)(stores.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"No store {name}.", nameof(name)));

        public void At(long ms) => CurrentSystemTimeMs = ms;

        public void Forget() => _forwarded.Clear();

        public ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator)
        {
            if (type == PunctuationType.WallClockTime) _sweep = punctuator;
            return new Scheduled();
        }

        private sealed class Scheduled : ICancellable
        {
            public void Cancel() { }
        }
    }
}
