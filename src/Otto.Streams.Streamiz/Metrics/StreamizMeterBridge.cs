using System.Diagnostics.Metrics;
using Streamiz.Kafka.Net.Metrics;

namespace Otto.Streams.Streamiz.Metrics;

/// <summary>
/// Publishes Streamiz's sensors as System.Diagnostics.Metrics observable instruments on the meter
/// <see cref="MeterName"/>, so Otto's <c>/metrics</c> and OTLP exporters show them next to its own.
/// </summary>
/// <remarks>
/// <para>
/// Give <see cref="Report"/> to <c>StreamConfig.MetricsReporter</c>. Every <c>MetricsIntervalMs</c> each stream thread
/// hands it the client's and its own sensors (<c>MetricsRecording</c> INFO: client and thread level; DEBUG adds task,
/// processor and store level). The bridge keeps the latest numeric value of each metric with its tags and serves it
/// when the exporter collects; a task's series disappear at the next report of its thread after Streamiz closed it.
/// String-valued metrics (version, application id, topology description) are left out.
/// </para>
/// <para>
/// Streamiz 1.8 raises any <c>MetricsIntervalMs</c> below 30 s to 30 s, so reported values can be 30 s old. For fresher
/// values call <c>Report(stream.Metrics())</c> yourself (e.g. on a timer): the same sensors, all threads at once.
/// After the stream's <c>Dispose()</c> call <see cref="Clear"/>: no thread reports again, so nothing else removes its series.
/// </para>
/// <para>
/// Names: <c>streamiz.</c> + the group without <c>-metrics</c> + the metric name, dashes turned into dots, e.g.
/// group <c>stream-task-metrics</c>, metric <c>process-rate</c> becomes <c>streamiz.stream.task.process.rate</c>
/// (Prometheus: <c>streamiz_stream_task_process_rate</c>). Metrics named <c>*-total</c> are observable counters,
/// all others observable gauges. Tags keep Streamiz's names: <c>thread_id</c>, <c>task_id</c>,
/// <c>processor_node_id</c>, <c>{store type}_state_id</c>, <c>client_id</c>, <c>application_id</c>, ...
/// </para>
/// </remarks>
public sealed class StreamizMeterBridge : IDisposable
{
    /// <summary>The meter's name, for an exporter's AddMeter or a MeterListener.</summary>
    public const string MeterName = "Streamiz.Kafka.Net";

    private const string ThreadTag = "thread_id";

    private readonly object _gate = new();
    // Instrument name -> series (tags rendered as text) -> latest value; all under _gate.
    private readonly Dictionary<string, Dictionary<string, Series>> _series = new(StringComparer.Ordinal);
    private long _report;

    /// <summary>Creates the meter, through <paramref name="meterFactory"/> when given (the host's DI), else directly.</summary>
    public StreamizMeterBridge(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>The reporter for <c>StreamConfig.MetricsReporter</c>: records the latest value of every numeric metric.</summary>
    public void Report(IEnumerable<Sensor> sensors)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        lock (_gate)
        {
            var report = ++_report;
            var threads = new HashSet<string>(StringComparer.Ordinal);
            foreach (var metric in sensors.SelectMany(s => s.Metrics.Values))
            {
                if (!TryGetNumber(metric, out var value))
                {
                    continue;
                }

                var name = InstrumentName(metric.Group, metric.Name);
                if (!_series.TryGetValue(name, out var byTags))
                {
                    byTags = new Dictionary<string, Series>(StringComparer.Ordinal);
                    _series.Add(name, byTags);
                    CreateInstrument(name, metric.Description);
                }

                var tags = metric.Tags
                    .Where(t => t.Value is not null)
                    .OrderBy(t => t.Key, StringComparer.Ordinal)
                    .Select(t => new KeyValuePair<string, object?>(t.Key, t.Value))
                    .ToArray();
                var thread = metric.Tags.GetValueOrDefault(ThreadTag);
                if (thread is not null)
                {
                    threads.Add(thread);
                }

                byTags[string.Join('\n', tags.Select(t => $"{t.Key}={t.Value}"))] = new Series(value, tags, thread, report);
            }

            // A thread reports all its live sensors: its series missing from this report belong to closed tasks.
            foreach (var byTags in _series.Values)
            {
                foreach (var (key, series) in byTags.Where(s => s.Value.Thread is not null && s.Value.Report != report && threads.Contains(s.Value.Thread)).ToList())
                {
                    byTags.Remove(key);
                }
            }
        }
    }

    /// <summary>Forgets every series (instruments stay, with no measurements), e.g. after the stream was disposed.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var byTags in _series.Values)
            {
                byTags.Clear();
            }
        }
    }

    /// <summary>The instrument name for a Streamiz metric, e.g. ("stream-task-metrics", "process-rate") gives "streamiz.stream.task.process.rate".</summary>
    public static string InstrumentName(string group, string metricName)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(metricName);
        var scope = group.EndsWith("-metrics", StringComparison.Ordinal) ? group[..^"-metrics".Length] : group;
        return $"streamiz.{scope}.{metricName}".Replace('-', '.').ToLowerInvariant();
    }

    /// <summary>Disposes the meter: its instruments stop reporting.</summary>
    public void Dispose() => Meter.Dispose();

    private void CreateInstrument(string name, string description)
    {
        if (name.EndsWith(".total", StringComparison.Ordinal))
        {
            Meter.CreateObservableCounter(name, () => Observe(name), unit: null, description);
        }
        else
        {
            Meter.CreateObservableGauge(name, () => Observe(name), unit: null, description);
        }
    }

    private List<Measurement<double>> Observe(string name)
    {
        lock (_gate)
        {
            return _series.TryGetValue(name, out var byTags)
                ? byTags.Values.Select(s => new Measurement<double>(s.Value, s.Tags)).ToList()
                : [];
        }
    }

    // Streamiz's values are boxed doubles (rates, averages), longs/ints (counts, gauges) or strings.
    private static bool TryGetNumber(StreamMetric metric, out double number)
    {
        object? value;
        try
        {
            // Reading measures: gauges call into Streamiz (e.g. RocksDB properties of a store being closed).
            value = metric.Value;
        }
        catch (Exception)
        {
            number = double.NaN;
            return false;
        }

        number = value switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            short s => s,
            byte b => b,
            decimal m => (double)m,
            _ => double.NaN,
        };
        // Averages and maxima of empty windows are NaN or -Infinity: no sample, so no point.
        return double.IsFinite(number);
    }

    private sealed record Series(double Value, KeyValuePair<string, object?>[] Tags, string? Thread, long Report);
}
