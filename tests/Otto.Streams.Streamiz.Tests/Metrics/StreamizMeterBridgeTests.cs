using Microsoft.Extensions.Logging.Abstractions;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Metrics;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Metrics;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Streams.Streamiz.Tests.Metrics;

/// <summary>Streamiz's sensors, from a real KafkaStream on the embedded cluster, read back through a MeterListener.</summary>
public sealed class StreamizMeterBridgeTests : IDisposable
{
    private const string Input = "pc.qa.pmt.fct.cpr.PaymentAdded";
    private const string Output = "pc.qa.pmt.fct.otto.PaymentFlagged";
    private const int Records = 40;

    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly string _stateDir = EmbeddedStreams.NewStateDirectory();
    private readonly StreamizMeterBridge _bridge = new();
    private readonly MeterListener _listener = new();
    // Instrument name -> rendered tags -> (value, tags), from the latest collection.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, (double Value, Dictionary<string, string> Tags)>> _seen = new();

    public StreamizMeterBridgeTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this test's bridge: other tests may run bridges with the same meter name at the same time.
            if (ReferenceEquals(instrument.Meter, _bridge.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var tagMap = new Dictionary<string, string>();
            foreach (var tag in tags)
            {
                tagMap[tag.Key] = tag.Value?.ToString() ?? "";
            }

            _seen.GetOrAdd(instrument.Name, _ => new())[string.Join(",", tagMap.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))] = (value, tagMap);
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _bridge.Dispose();
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    private IReadOnlyList<(double Value, Dictionary<string, string> Tags)> Collect(string instrument)
    {
        _seen.Clear();
        _listener.RecordObservableInstruments();
        return _seen.TryGetValue(instrument, out var series) ? series.Values.ToList() : [];
    }

    [Theory]
    [InlineData("stream-task-metrics", "process-rate", "streamiz.stream.task.process.rate")]
    [InlineData("stream-thread-metrics", "commit-total", "streamiz.stream.thread.commit.total")]
    [InlineData("stream-metrics", "stream_threads", "streamiz.stream.stream_threads")]
    [InlineData("stream-processor-node-metrics", "process-latency-avg", "streamiz.stream.processor.node.process.latency.avg")]
    public void Instrument_names_are_streamiz_dot_group_dot_metric(string group, string metric, string expected) =>
        Assert.Equal(expected, StreamizMeterBridge.InstrumentName(group, metric));

    [Fact]
    public async Task Process_and_commit_metrics_of_a_running_stream_show_up_with_their_tags()
    {
        _cluster.CreateTopic(Input, 2);
        _cluster.CreateTopic(Output, 2);
        var config = EmbeddedStreams.Config(_cluster, "otto-metrics", NullLoggerFactory.Instance, _stateDir, ProcessingGuarantee.AT_LEAST_ONCE);
        config.MetricsRecording = MetricsRecordingLevel.DEBUG;
        config.MetricsReporter = _bridge.Report;
        var builder = new StreamBuilder();
        builder.Stream<string, string>(Input).MapValues((v, _) => v + "-checked").To(Output);
        EmbeddedStreams.Produce(_cluster, Input, Enumerable.Range(0, Records).Select(i => KeyValuePair.Create($"payment-{i}", "added")));

        using var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync();

        // Streamiz calls the reporter at most every 30 s; the test reports the same live sensors itself instead.
        // Task level (DEBUG): one series per task, together the 40 records; thread level: at least one commit.
        Eventually.Blocking(
            () =>
            {
                _bridge.Report(stream.Metrics());
                return Collect("streamiz.stream.task.process.total").Sum(s => s.Value) == Records
                    && Collect("streamiz.stream.thread.commit.total").Sum(s => s.Value) >= 1;
            },
            TimeSpan.FromSeconds(60),
            "task process totals adding up to the records produced, and a commit");

        var processed = Collect("streamiz.stream.task.process.total");
        Assert.Equal(new[] { "0-0", "0-1" }, processed.Select(s => s.Tags["task_id"]).Order());
        Assert.All(processed, s => Assert.StartsWith("otto-metrics", s.Tags["thread_id"]));
        var rates = Collect("streamiz.stream.task.process.rate");
        Assert.Equal(2, rates.Count);
        Assert.All(rates, s => Assert.InRange(s.Value, 0, Records));
        var commitLatency = Assert.Single(Collect("streamiz.stream.thread.commit.latency.avg"));
        Assert.InRange(commitLatency.Value, 0, 10_000);
        var threads = Assert.Single(Collect("streamiz.stream.stream_threads"));
        Assert.Equal(1, threads.Value);

        stream.Dispose();
        _bridge.Clear();
        Assert.Empty(Collect("streamiz.stream.task.process.total"));
    }
}
