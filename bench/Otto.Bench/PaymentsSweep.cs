using System.Diagnostics;
using System.Globalization;
using Otto.Contracts.Otto;
using Otto.DevSchemaRegistry;
using Otto.Payments;
using Otto.Payments.Model;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Bench;

/// <summary>
/// One million payments of a day in the payment processor's stores, then one SLA sweep, timed, with resident memory.
/// The <see cref="PaymentProcessor"/> runs as a Streamiz transformer in Streamiz's TopologyTestDriver (SYNC_TASK, one
/// task) with its two RocksDB stores as the topology declares them (Streamiz's RocksDB store, the payments serdes),
/// changelogs off: the driver would keep every changelog record in memory. The facts of the realistic mix go in by
/// reference (<see cref="FactsByReference"/>) in occurred-at order, the driver's wall clock set to each fact's time, so
/// the processor folds them, runs the rules and keeps its sweep-due index as a running instance would. Then the clock
/// moves to one sweep interval before "now" (the first sweep catches up with the day) and to "now": that sweep is
/// timed, the steady state, which range-scans the index up to now and reads only the payments due. Resident memory is
/// read from /proc/self/status.
/// </summary>
public sealed class PaymentsSweep : IBenchmark
{
    private const string FactsTopic = "sweep-bench.facts";
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public string Name => "payments-sweep";

    /// <inheritdoc />
    public string Description => "1M realistic payments in the payment processor's RocksDB stores (Streamiz): one SLA sweep, time and RSS [payments, default 1000000] [--sweep-while-loading]";

    /// <inheritdoc />
    public Task RunAsync(string[] args, TextWriter output)
    {
        var arguments = new BenchArgs(args);
        var sweepWhileLoading = arguments.Flag("sweep-while-loading");
        var payments = (int)arguments.Number(0, 1_000_000);
        var options = new PaymentsOptions { Env = "bench" };
        var serdes = new PaymentsSerDes(InProcessRegistry.Client, autoRegisterSchemas: true);
        // The payments of the last day; the newest completed a few minutes before the sweep.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var workload = new PaymentsWorkload(now - Day - TimeSpan.FromMinutes(5), Day / payments);
        output.WriteLine($"bench: process RSS before loading {ProcessStats.ResidentMiB():F0} MiB");

        var outputs = new Dictionary<string, long>();
        var stateDir = Directory.CreateTempSubdirectory("otto-bench-sweep-").FullName;
        try
        {
            var byReference = new FactsByReference(); // one instance: the input topic's serializer and the source's deserializer
            using var driver = new TopologyTestDriver(Build(options, serdes, byReference, outputs),
                OttoRuntime.StreamConfig(new OttoOptions { Streams = { ApplicationId = "bench-sweep", StateDir = stateDir } }), TopologyTestDriver.Mode.SYNC_TASK);
            var clock = new DriverWallClock(driver);
            // Creating the input topic creates the task: the processor schedules its sweep from the clock's time then.
            // By default that is two sweep intervals before now, and the clock then goes back to the start of the day:
            // the sweep cannot come due while the day loads (as in the old engine's benchmark, which called the sweep
            // itself), and the first sweep after loading catches up with the whole day. With --sweep-while-loading the
            // task starts at the start of the day and the processor sweeps every sweep interval of the day as it loads.
            clock.Set((sweepWhileLoading ? workload.Start : now - 2 * options.SweepInterval).ToUnixTimeMilliseconds());
            var facts = driver.CreateInputTopic(FactsTopic, serdes.Key, byReference);
            clock.Set(workload.Start.ToUnixTimeMilliseconds());

            var load = Timed(() => Load(facts, clock, workload, payments, output));
            var loadedOutputs = Outputs(outputs);
            outputs.Clear();
            var store = driver.GetKeyValueStore<string, PaymentState>(PaymentProcessor.StoreName);
            var stateBytes = SampleStateBytes(store, serdes, payments);
            output.WriteLine($"bench: loaded {payments:N0} payments in {load.Wall.TotalSeconds:F1} s ({load.Cpu.TotalSeconds:F1} s of CPU{(sweepWhileLoading ? ", the day's sweeps included" : "")}), " +
                $"{stateBytes:F0} bytes/state (Avro); outputs while loading {loadedOutputs}");

            clock.Set((now - options.SweepInterval).ToUnixTimeMilliseconds());
            var first = Timed(() => driver.AdvanceWallClockTime(TimeSpan.Zero));
            output.WriteLine($"bench: first sweep after loading{(sweepWhileLoading ? "" : " (every SLA of the day due at once)")}: {first.Wall.TotalSeconds:F2} s " +
                $"({first.Cpu.TotalSeconds:F2} s of CPU), outputs {Outputs(outputs)}");
            outputs.Clear();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            output.WriteLine($"bench: RSS after loading {ProcessStats.ResidentMiB():F0} MiB");

            // What a sweep of every payment would cost: each state read and decoded through Streamiz's store layers. A
            // range over every key, not All(): Streamiz 1.8's All() decodes the whole store into one list first.
            var decode = Timed(() =>
            {
                using var all = store.Range("", "\uffff");
                var decoded = 0L;
                while (all.MoveNext()) decoded += all.Current!.Value.Value.Statuses.Count; // Streamiz decodes on Current
                GC.KeepAlive(decoded);
            });
            output.WriteLine($"bench: reading and decoding every state through the store takes {decode.Wall.TotalSeconds:F2} s ({decode.Cpu.TotalSeconds:F2} s of CPU)");

            clock.Set(now.ToUnixTimeMilliseconds());
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var sweep = Timed(() => driver.AdvanceWallClockTime(TimeSpan.Zero));
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            var rss = ProcessStats.ResidentMiB();
            var peak = ProcessStats.ResidentMiB("VmHWM");
            output.WriteLine($"bench: swept {payments:N0} payments in {sweep.Wall.TotalSeconds:F3} s ({sweep.Cpu.TotalSeconds:F3} s of CPU, {allocated / 1024.0:F0} KiB allocated); " +
                $"outputs {Outputs(outputs)}; RSS {rss:F0} MiB, peak {peak:F0} MiB (targets: sweep < 2 s, RSS < 500 MiB)");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench: sweep_s={sweep.Wall.TotalSeconds:F3} sweep_cpu_s={sweep.Cpu.TotalSeconds:F3} first_sweep_s={first.Wall.TotalSeconds:F2} rss_mib={rss:F0} peak_rss_mib={peak:F0} " +
                $"decode_scan_cpu_s={decode.Cpu.TotalSeconds:F2} load_s={load.Wall.TotalSeconds:F1} load_cpu_s={load.Cpu.TotalSeconds:F1} state_bytes={stateBytes:F0} payments={payments} " +
                $"target_met={(payments >= 1_000_000 && sweep.Wall.TotalSeconds < 2 && peak < 500 ? "yes" : "no")}"));
        }
        finally
        {
            try { Directory.Delete(stateDir, recursive: true); }
            catch (IOException) { } // the temp directory is the OS's to clean
        }
        return Task.CompletedTask;
    }

    // The processor and its stores as PaymentsTopology declares them, changelogs off; its outputs are counted by type.
    private static Topology Build(PaymentsOptions options, PaymentsSerDes serdes, FactsByReference facts, Dictionary<string, long> outputs)
    {
        var builder = new StreamBuilder();
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.StoreName), serdes.Key, serdes.Value<PaymentState>())
            .WithLoggingDisabled());
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.SweepStoreName), serdes.Key, serdes.Value<SweepDue>())
            .WithLoggingDisabled());
        builder.Stream(FactsTopic, serdes.Key, facts)
            .Transform(TransformerBuilder.New<string, PaymentEvent, string, PaymentOutput>().Transformer<PaymentProcessor>(options).Build(),
                "payment-processor", PaymentProcessor.StoreName, PaymentProcessor.SweepStoreName)
            .Foreach((_, result, _) => outputs[result.GetType().Name] = outputs.GetValueOrDefault(result.GetType().Name) + 1);
        return builder.Build();
    }

    // Every fact at its occurred-at time, the wall clock following: the processor's punctuation sweeps as time passes.
    private static void Load(TestInputTopic<string, PaymentEvent> facts, DriverWallClock clock, PaymentsWorkload workload, int payments, TextWriter output)
    {
        var clockWatch = Stopwatch.StartNew();
        var loaded = 0;
        foreach (var (index, fact) in workload.Chronological(payments))
        {
            var (id, at) = PaymentsWorkload.Describe(fact);
            var ms = at.ToUnixTimeMilliseconds();
            if (ms > clock.NowMs) clock.Set(ms);
            facts.PipeInput(id, fact, at.UtcDateTime);
            if (index >= loaded && (index + 1) % 100_000 == 0)
            {
                loaded = index + 1;
                output.WriteLine($"bench: loading, payment {loaded:N0}/{payments:N0} started ({clockWatch.Elapsed.TotalSeconds:F0} s, RSS {ProcessStats.ResidentMiB():F0} MiB)");
            }
        }
    }

    // The Avro size of one state in a thousand, as the changelog would carry it.
    private static double SampleStateBytes(IReadOnlyKeyValueStore<string, PaymentState> store, PaymentsSerDes serdes, int payments)
    {
        var serde = serdes.Value<PaymentState>();
        var context = new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "size");
        var sampled = Enumerable.Range(0, payments).Where(i => i % 1_000 == 0)
            .Select(i => store.Get(PaymentsWorkload.PaymentId(i)))
            .Where(s => s is not null)
            .Select(s => serde.Serialize(s!, context).Length)
            .ToList();
        return sampled.Count == 0 ? 0 : sampled.Average();
    }

    private static string Outputs(Dictionary<string, long> outputs) =>
        outputs.Count == 0 ? "none" : string.Join(", ", outputs.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value:N0}"));

    private static (TimeSpan Wall, TimeSpan Cpu) Timed(Action action)
    {
        var cpu = ProcessStats.ThreadCpu();
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed, ProcessStats.ThreadCpu() - cpu);
    }
}
