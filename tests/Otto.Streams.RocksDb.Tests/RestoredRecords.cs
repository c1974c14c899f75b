using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Otto.Streams.Runtime;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Counts the engine's otto.streams.records.restored measurements per changelog topic.</summary>
internal sealed class RestoredRecords : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _byTopic = new();

    public RestoredRecords()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name == "otto.streams.records.restored")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "topic" && tag.Value is string topic) _byTopic.AddOrUpdate(topic, value, (_, old) => old + value);
        });
        _listener.Start();
    }

    public long Of(string topic) => _byTopic.GetValueOrDefault(topic);

    public void Dispose() => _listener.Dispose();
}
