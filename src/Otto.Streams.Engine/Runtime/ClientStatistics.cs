using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace Otto.Streams.Runtime;

/// <summary>
/// librdkafka's statistics (statistics.interval.ms, JSON; see librdkafka's STATISTICS.md) turned into gauges:
/// the latest snapshot of each client is kept and observed as otto.streams.client.* per client.
/// </summary>
internal static class ClientStatistics
{
    private static readonly ConcurrentDictionary<string, Snapshot> Latest = new();

    private sealed record Snapshot(
        string Type, long QueuedMessages, long QueuedBytes, long RequestsSent, long ResponsesReceived,
        long MessagesSent, long MessagesReceived, IReadOnlyList<(string Broker, double RttMs)> Rtts,
        IReadOnlyList<(string Topic, int Partition, long Lag)> Lags);

    /// <summary>Parses one statistics document; malformed ones are ignored (statistics must never stop a thread).</summary>
    public static void Record(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var rtts = new List<(string, double)>();
            if (root.TryGetProperty("brokers", out var brokers))
                foreach (var b in brokers.EnumerateObject())
                    if (b.Value.TryGetProperty("rtt", out var rtt) && rtt.TryGetProperty("avg", out var avg) && avg.GetInt64() > 0)
                        rtts.Add((b.Value.GetProperty("nodename").GetString() ?? b.Name, avg.GetInt64() / 1000.0));
            var lags = new List<(string, int, long)>();
            if (root.TryGetProperty("topics", out var topics))
                foreach (var t in topics.EnumerateObject())
                    foreach (var p in t.Value.GetProperty("partitions").EnumerateObject())
                    {
                        var partition = p.Value.GetProperty("partition").GetInt32();
                        var lag = p.Value.TryGetProperty("consumer_lag", out var l) ? l.GetInt64() : -1;
                        if (partition >= 0 && lag >= 0) lags.Add((t.Name, partition, lag));
                    }
            Latest[root.GetProperty("name").GetString()!] = new Snapshot(
                root.GetProperty("type").GetString() ?? "", Long(root, "msg_cnt"), Long(root, "msg_size"), Long(root, "tx"),
                Long(root, "rx"), Long(root, "txmsgs"), Long(root, "rxmsgs"), rtts, lags);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException) { }
    }

    /// <summary>Forgets a closed client.</summary>
    public static void Forget(string clientName) => Latest.TryRemove(clientName, out _);

    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt64() : 0;

    public static void CreateGauges(Meter meter)
    {
        Gauge(meter, "otto.streams.client.queued.messages", "Messages waiting in the producer's queue", s => s.QueuedMessages);
        Gauge(meter, "otto.streams.client.queued.bytes", "Bytes waiting in the producer's queue", s => s.QueuedBytes);
        Gauge(meter, "otto.streams.client.requests.sent", "Requests sent to brokers (total)", s => s.RequestsSent);
        Gauge(meter, "otto.streams.client.responses.received", "Responses received from brokers (total)", s => s.ResponsesReceived);
        Gauge(meter, "otto.streams.client.messages.sent", "Messages sent to brokers (total)", s => s.MessagesSent);
        Gauge(meter, "otto.streams.client.messages.received", "Messages received from brokers (total)", s => s.MessagesReceived);
        meter.CreateObservableGauge("otto.streams.client.broker.rtt", () => Latest.SelectMany(kv => kv.Value.Rtts.Select(r =>
            new Measurement<double>(r.RttMs, Tag("client", kv.Key), Tag("broker", r.Broker)))), "ms", "Average broker round-trip time");
        meter.CreateObservableGauge("otto.streams.client.consumer.lag", () => Latest.SelectMany(kv => kv.Value.Lags.Select(l =>
            new Measurement<long>(l.Lag, Tag("client", kv.Key), Tag("topic", l.Topic), Tag("partition", l.Partition)))),
            description: "Consumer lag as librdkafka reports it");
    }

    private static void Gauge(Meter meter, string name, string description, Func<Snapshot, long> value) =>
        meter.CreateObservableGauge(name, () => Latest.Select(kv => new Measurement<long>(value(kv.Value), Tag("client", kv.Key), Tag("type", kv.Value.Type))),
            description: description);

    private static KeyValuePair<string, object?> Tag(string key, object value) => new(key, value);
}
