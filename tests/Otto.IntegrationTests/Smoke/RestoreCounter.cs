using System.Diagnostics.Metrics;
using Otto.Streams.Runtime;

namespace Otto.IntegrationTests.Smoke;

/// <summary>Sums the engine's otto.streams.records.restored counter while alive, to show that state was restored.</summary>
internal sealed class RestoreCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _restored;

    public RestoreCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StreamsMetrics.MeterName && instrument.Name == "otto.streams.records.restored")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _restored, value));
        _listener.Start();
    }

    public long Restored => Interlocked.Read(ref _restored);

    public void Dispose() => _listener.Dispose();
}
