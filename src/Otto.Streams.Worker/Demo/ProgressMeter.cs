using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Otto.Payments;

namespace Otto.Streams.Worker.Demo;

/// <summary>Totals of the payments and engine counters in this process, for progress lines.</summary>
public sealed class ProgressMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new();

    /// <summary>Starts listening.</summary>
    public ProgressMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Otto.", StringComparison.Ordinal) && instrument is Counter<long>)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            foreach (var tag in tags)
                _totals.AddOrUpdate($"{instrument.Name}/{tag.Key}={tag.Value}", value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>The total of a counter, optionally of one tag value ("outcome=applied").</summary>
    public long Total(string counter, string? tag = null) => _totals.GetValueOrDefault(tag is null ? counter : $"{counter}/{tag}");

    /// <summary>One line: facts in, requests out, replies joined, flags raised, dead letters.</summary>
    public string Line() =>
        $"facts in={Total("otto.payments.facts")} (duplicates {Total("otto.payments.facts", "outcome=duplicate")}) " +
        $"requests out={Total("otto.payments.requests")} replies joined={Total("otto.payments.replies", "outcome=applied")} " +
        $"(ignored {Total("otto.payments.replies", "outcome=ignored")}) flags raised={Total("otto.payments.flags")} " +
        $"dead letters={Total("otto.streams.dead.letters")}";

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();
}
