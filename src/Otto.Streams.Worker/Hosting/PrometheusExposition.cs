using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Collects the instruments of the Otto meters with a <see cref="MeterListener"/> and writes them in the
/// Prometheus text exposition format (version 0.0.4): counters as <c>_total</c>, histograms as cumulative
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, gauges observed at scrape time. Names: dots become underscores
/// and the unit is appended (otto.streams.commit.latency in ms → otto_streams_commit_latency_ms).
/// </summary>
public sealed class PrometheusExposition : IDisposable
{
    private static readonly double[] Bounds = [0.1, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly Lock _scrape = new();

    /// <summary>Listens to every meter whose name starts with one of <paramref name="meterPrefixes"/>.</summary>
    public PrometheusExposition(params string[] meterPrefixes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!meterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal))) return;
            _series[instrument] = new Series(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series)) series.Record(value, Labels(tags));
    }

    /// <summary>The current values of every instrument, as Prometheus text.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            // Observations replace what was seen before: a partition no longer owned leaves the lag gauge.
            foreach (var series in _series.Values) series.ClearIfObservable();
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal)) series.Write(text);
            return text.ToString();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var parts = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
            parts.Add($"{Sanitize(key)}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        parts.Sort(StringComparer.Ordinal);
        return string.Join(",", parts);
    }

    private static string Sanitize(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One instrument's values per label set.</summary>
    private sealed class Series(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Cell> _cells = new();
        private readonly string _type = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => "counter",
            Histogram<long> or Histogram<int> or Histogram<double> => "histogram",
            _ => "gauge",
        };
        private readonly bool _observable = instrument.IsObservable;
        // An up-down counter (e.g. otto.streams.restore.remaining) is a gauge made of deltas: sum them.
        private readonly bool _deltas = instrument is UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>;

        public string Name { get; } = Sanitize(instrument.Name) + (string.IsNullOrEmpty(instrument.Unit) ? "" : "_" + Sanitize(instrument.Unit));

        public void ClearIfObservable()
        {
            if (_observable) _cells.Clear();
        }

        public void Record(double value, string labels)
        {
            var cell = _cells.GetOrAdd(labels, _ => new Cell());
            lock (cell)
            {
                if (_type == "histogram")
                {
                    cell.Count++;
                    cell.Value += value;
                    for (var i = 0; i < Bounds.Length; i++) if (value <= Bounds[i]) cell.Buckets[i]++;
                }
                else if (_observable || (_type == "gauge" && !_deltas)) cell.Value = value; // an observation is the current value
                else cell.Value += value;
            }
        }

        public void Write(StringBuilder text)
        {
            if (_cells.IsEmpty) return;
            var name = _type == "counter" ? Name + "_total" : Name;
            if (!string.IsNullOrEmpty(instrument.Description)) text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(_type).Append('\n');
            foreach (var (labels, cell) in _cells.OrderBy(c => c.Key, StringComparer.Ordinal))
                lock (cell)
                {
                    if (_type != "histogram")
                    {
                        Line(text, name, labels, Number(cell.Value));
                        continue;
                    }
                    for (var i = 0; i < Bounds.Length; i++)
                        Line(text, Name + "_bucket", Join(labels, $"le=\"{Number(Bounds[i])}\""), cell.Buckets[i].ToString(CultureInfo.InvariantCulture));
                    Line(text, Name + "_bucket", Join(labels, "le=\"+Inf\""), cell.Count.ToString(CultureInfo.InvariantCulture));
                    Line(text, Name + "_sum", labels, Number(cell.Value));
                    Line(text, Name + "_count", labels, cell.Count.ToString(CultureInfo.InvariantCulture));
                }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static void Line(StringBuilder text, string name, string labels, string value)
        {
            text.Append(name);
            if (labels.Length > 0) text.Append('{').Append(labels).Append('}');
            text.Append(' ').Append(value).Append('\n');
        }
    }

    private sealed class Cell
    {
        public double Value;
        public long Count;
        public readonly long[] Buckets = new long[Bounds.Length];
    }
}
