using System.Diagnostics.Metrics;

namespace Otto.Streams.State;

/// <summary>Latency histograms of store operations, in microseconds, tagged with the store name.</summary>
internal static class StoreMetrics
{
    public static readonly Histogram<double> Get = Runtime.StreamsMetrics.Meter.CreateHistogram<double>("otto.streams.store.get.latency", "us");
    public static readonly Histogram<double> Put = Runtime.StreamsMetrics.Meter.CreateHistogram<double>("otto.streams.store.put.latency", "us");
    public static readonly Histogram<double> Delete = Runtime.StreamsMetrics.Meter.CreateHistogram<double>("otto.streams.store.delete.latency", "us");
}
