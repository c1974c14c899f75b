using System.Diagnostics;
using System.Globalization;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Bench;

/// <summary>
/// Point put and get of 100-byte values, range scans and write-batch put-all, on the RocksDB store and the
/// in-memory store side by side, same keys, same run (the in-memory store is the baseline).
/// </summary>
public sealed class StoreOperations : IBenchmark
{
    private const int ValueBytes = 100;
    private const int ScanLength = 100;
    private const int BatchSize = 1_000;

    public string Name => "store";

    public string Description => "store point put/get, range scan, put-all: RocksDB vs in-memory [keys, default 200000]";

    public Task RunAsync(string[] args, TextWriter output)
    {
        var keys = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        using var memory = new RocksDbMemory();
        var results = new[] { ("rocksdb", (Func<IKeyValueStore<Bytes, byte[]>>)(() => new RocksDbKeyValueStore("bench"))), ("memory", () => new InMemoryKeyValueStore("bench")) }
            .Select(s => (Kind: s.Item1, Figures: Measure(s.Item2, memory, keys, output)))
            .ToDictionary(r => r.Kind, r => r.Figures);

        output.WriteLine($"{"operation",-12} {"rocksdb/s",12} {"in-memory/s",12} {"ratio",7}   (_cpu: per CPU-second of the benchmark thread)");
        foreach (var op in results["rocksdb"].Keys)
            output.WriteLine($"{op,-12} {results["rocksdb"][op],12:N0} {results["memory"][op],12:N0} {results["rocksdb"][op] / results["memory"][op],7:F2}");
        output.WriteLine("bench: " + string.Join(' ', results.SelectMany(r => r.Value.Select(f => $"{r.Key}_{f.Key}={f.Value:F0}")))
            + " " + string.Join(' ', results["rocksdb"].Keys.Select(op => $"{op}_ratio={results["rocksdb"][op] / results["memory"][op]:F2}")));
        return Task.CompletedTask;
    }

    // Operations per second: put, get (random existing keys), range (entries/s over 100-key scans), putall (records/s, 1,000 per batch).
    private static Dictionary<string, double> Measure(Func<IKeyValueStore<Bytes, byte[]>> create, RocksDbMemory memory, int keys, TextWriter output)
    {
        using var context = new StoreBenchContext(memory);
        var store = create();
        store.Init(context);
        var random = new Random(42);
        var value = new byte[ValueBytes];
        random.NextBytes(value);
        var keyBytes = Enumerable.Range(0, keys).Select(Key).ToArray();
        var figures = new Dictionary<string, double>();

        Rate(figures, "put", keys, () => { foreach (var key in keyBytes) store.Put(key, value); });
        var order = Enumerable.Range(0, keys).Select(_ => keyBytes[random.Next(keys)]).ToArray();
        Rate(figures, "get", keys, () =>
        {
            foreach (var key in order)
                if (store.Get(key) is null) throw new InvalidOperationException("a key written is missing");
        });
        var scans = Math.Max(1, keys / ScanLength / 4);
        Rate(figures, "range", (long)scans * ScanLength, () =>
        {
            for (var i = 0; i < scans; i++)
            {
                var from = random.Next(keys - ScanLength);
                using var range = store.Range(keyBytes[from], keyBytes[from + ScanLength - 1]);
                if (range.Count() != ScanLength) throw new InvalidOperationException("a range scan missed keys");
            }
        });
        var fresh = Enumerable.Range(keys, keys).Select(i => new KeyValuePair<Bytes, byte[]?>(Key(i), value)).Chunk(BatchSize).ToArray();
        Rate(figures, "putall", keys, () => { foreach (var batch in fresh) store.PutAll(batch); });
        store.Close();
        output.WriteLine($"bench: {create().GetType().Name}: " + string.Join(", ", figures.Select(f => $"{f.Key} {f.Value:N0}/s")));
        return figures;
    }

    // 16-byte keys in the order their numbers have.
    private static Bytes Key(int i) => new(System.Text.Encoding.ASCII.GetBytes($"key-{i:D12}"));

    // Records the rate per wall-clock second as NAME and per CPU-second of this thread as NAME_cpu.
    private static void Rate(Dictionary<string, double> figures, string name, long operations, Action run)
    {
        var cpu = StoreBenchContext.ThreadCpuTime();
        var clock = Stopwatch.StartNew();
        run();
        figures[name] = operations / clock.Elapsed.TotalSeconds;
        figures[name + "_cpu"] = operations / (StoreBenchContext.ThreadCpuTime() - cpu).TotalSeconds;
    }
}
