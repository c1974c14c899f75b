using Otto.Streams;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.IntegrationTests.Smoke;

/// <summary>
/// The topology of the smoke tests (after Kafka Streams' own smoke test): per key, the count and sum of its
/// records, in a changelogged store. Each input value is "seq" (1, 2, ... per key); the store keeps the last seq
/// applied, so a record replayed after a failover (at-least-once repeats records whose offsets were not
/// committed) is recognized, counted as a replay and not applied twice — as Otto's own state does with event ids.
/// </summary>
internal static class SmokeTopology
{
    public const string Input = "smoke-in";
    public const string Output = "smoke-out";
    public const string Store = "smoke-agg";

    private static readonly StringSerDes Strings = new();

    /// <summary>Replays skipped, across every instance of the test.</summary>
    public sealed class ReplayCounter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    public static Topology Build(ReplayCounter replays)
    {
        var builder = new StreamBuilder();
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(Store), Strings, Strings));
        builder.Stream<string, string>(Input, Strings, Strings)
            .Process(() => new CountSum(replays), "count-sum", Store)
            .To(Output, Strings, Strings);
        return builder.Build();
    }

    /// <summary>The amount a record contributes to its key's sum.</summary>
    public static long Amount(int keyIndex, int seq) => seq * (keyIndex + 1L);

    /// <summary>Store and output value: "count:sum:lastSeq".</summary>
    private sealed class CountSum(ReplayCounter replays) : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IKeyValueStore<string, string> _store = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _store = context.GetStateStore<IKeyValueStore<string, string>>(Store);
        }

        public void Process(Record<string, string> record)
        {
            var seq = int.Parse(record.Value);
            var (count, sum, last) = Parse(_store.Get(record.Key));
            if (seq <= last)
            {
                replays.Add();
                return;
            }
            var keyIndex = int.Parse(record.Key.AsSpan(1));
            var value = $"{count + 1}:{sum + Amount(keyIndex, seq)}:{seq}";
            _store.Put(record.Key, value);
            _context.Forward(record.With(record.Key, value));
        }
    }

    public static (long Count, long Sum, int LastSeq) Parse(string? value)
    {
        if (value is null) return (0, 0, 0);
        var parts = value.Split(':');
        return (long.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]));
    }
}
