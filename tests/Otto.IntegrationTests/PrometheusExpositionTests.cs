using System.Diagnostics.Metrics;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests;

/// <summary>The Prometheus text the worker's /metrics endpoint serves, from System.Diagnostics.Metrics instruments.</summary>
public class PrometheusExpositionTests
{
    [Fact]
    public void Counters_histograms_and_gauges_are_written_in_the_text_format()
    {
        using var meter = new Meter("Otto.Test.Exposition");
        using var exposition = new PrometheusExposition("Otto.Test.Exposition");
        var counter = meter.CreateCounter<long>("otto.test.records", description: "Records seen");
        var histogram = meter.CreateHistogram<double>("otto.test.latency", "ms");
        var lag = 7L;
        meter.CreateObservableGauge("otto.test.lag", () => new Measurement<long>(lag, new KeyValuePair<string, object?>("partition", 3)));

        counter.Add(2, new KeyValuePair<string, object?>("task", "0_1"));
        counter.Add(3, new KeyValuePair<string, object?>("task", "0_1"));
        counter.Add(1, new KeyValuePair<string, object?>("task", "say \"hi\""));
        histogram.Record(0.3);
        histogram.Record(40);
        var text = exposition.Scrape();

        Assert.Contains("# HELP otto_test_records_total Records seen\n# TYPE otto_test_records_total counter\n", text);
        Assert.Contains("otto_test_records_total{task=\"0_1\"} 5\n", text);
        Assert.Contains("otto_test_records_total{task=\"say \\\"hi\\\"\"} 1\n", text);
        Assert.Contains("# TYPE otto_test_latency_ms histogram\n", text);
        Assert.Contains("otto_test_latency_ms_bucket{le=\"0.1\"} 0\n", text);
        Assert.Contains("otto_test_latency_ms_bucket{le=\"0.5\"} 1\n", text);
        Assert.Contains("otto_test_latency_ms_bucket{le=\"50\"} 2\n", text);
        Assert.Contains("otto_test_latency_ms_bucket{le=\"+Inf\"} 2\n", text);
        Assert.Contains("otto_test_latency_ms_sum 40.3\n", text);
        Assert.Contains("otto_test_latency_ms_count 2\n", text);
        Assert.Contains("# TYPE otto_test_lag gauge\notto_test_lag{partition=\"3\"} 7\n", text);

        lag = 2; // a gauge shows the latest observation, not a sum
        Assert.Contains("otto_test_lag{partition=\"3\"} 2\n", exposition.Scrape());
    }
}
