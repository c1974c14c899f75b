using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.IntegrationTests.Smoke;

/// <summary>
/// The topology of the smoke tests (after Kafka Streams' own smoke test), in Streamiz's DSL: per key, the count and
/// sum of its records, with GroupByKey().Aggregate into a RocksDB store and its changelog, every update to the output
/// topic. Each input value is "seq" (1, 2, ... per key); the aggregate keeps the last seq applied, so a record
/// replayed after a failover (at-least-once repeats records whose offsets were not committed) is recognized, counted
/// as a replay and not applied twice — as Otto's own state does with event ids. The aggregate is "count:sum:lastSeq".
/// Keys and values are strings (the stream configuration's default serdes).
/// </summary>
internal static class SmokeTopology
{
    public const string Input = "smoke-in";
    public const string Output = "smoke-out";
    public const string Store = "smoke-agg";

    /// <summary>Replays skipped, across every instance of the test.</summary>
    public sealed class ReplayCounter
    {
        private long _count;
        public long Count => Interlocked.Read(ref _count);
        public void Add() => Interlocked.Increment(ref _count);
    }

    /// <summary>The changelog Streamiz keeps the store in, for <paramref name="applicationId"/>.</summary>
    public static string Changelog(string applicationId) => $"{applicationId}-{Store}-changelog";

    public static Topology Build(ReplayCounter replays)
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>(Input)
            .GroupByKey()
            .Aggregate(() => "0:0:0", (key, value, aggregate) => Add(key, int.Parse(value), aggregate, replays), RocksDb.As<string, string>(Store))
            .ToStream()
            .To(Output);
        return builder.Build();
    }

    /// <summary>The amount a record contributes to its key's sum.</summary>
    public static long Amount(int keyIndex, int seq) => seq * (keyIndex + 1L);

    private static string Add(string key, int seq, string aggregate, ReplayCounter replays)
    {
        var (count, sum, last) = Parse(aggregate);
        if (seq <= last)
        {
            replays.Add();
            return aggregate;
        }
        return $"{count + 1}:{sum + Amount(int.Parse(key.AsSpan(1)), seq)}:{seq}";
    }

    public static (long Count, long Sum, int LastSeq) Parse(string? value)
    {
        if (value is null) return (0, 0, 0);
        var parts = value.Split(':');
        return (long.Parse(parts[0]), long.Parse(parts[1]), int.Parse(parts[2]));
    }
}
