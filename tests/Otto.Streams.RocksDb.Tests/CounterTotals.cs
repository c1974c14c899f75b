using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Otto.Streams.Runtime;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Sums one of the engine's counters per value of one tag, e.g. otto.streams.records.restored per
/// changelog topic: tests run in parallel in one process, so they tell their own measurements by tag.</summary>
internal sealed class CounterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byTag = new();

    public CounterTotals(string counter, string tag)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name == counter)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
                if (t.Key == tag && t.Value is string key) _byTag.AddOrUpdate(key, value, (_, old) => old + value);
        });
        _listener.Start();
    }

    /// <summary>Records restored per changelog topic.</summary>
    public static CounterTotals RestoredRecords() => new("otto.streams.records.restored", "topic");

    public long Of(string tagValue) => _byTag.GetValueOrDefault(tagValue);

    public void Dispose() => _listener.Dispose();
}
