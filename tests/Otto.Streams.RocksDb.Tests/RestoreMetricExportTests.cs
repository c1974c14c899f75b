using System.Diagnostics.Metrics;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>The restore-progress metric reaches /metrics as the records still to restore.</summary>
public sealed class RestoreMetricExportTests
{
    [Fact]
    public void An_up_down_counter_is_exported_as_a_gauge_of_its_running_sum()
    {
        using var meter = new Meter("Otto.Test.Restore");
        using var exposition = new PrometheusExposition("Otto.Test.Restore");
        var remaining = meter.CreateUpDownCounter<long>("otto.test.restore.remaining", "records");
        var task = new KeyValuePair<string, object?>("task", "0_1");

        remaining.Add(1_000, task); // registered: 1,000 to restore
        remaining.Add(-300, task);  // a batch restored
        Assert.Contains("# TYPE otto_test_restore_remaining_records gauge\notto_test_restore_remaining_records{task=\"0_1\"} 700\n", exposition.Scrape());

        remaining.Add(-700, task);
        Assert.Contains("otto_test_restore_remaining_records{task=\"0_1\"} 0\n", exposition.Scrape());
    }
}
