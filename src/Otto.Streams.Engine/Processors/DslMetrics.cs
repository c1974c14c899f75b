using System.Diagnostics.Metrics;

namespace Otto.Streams.Processors;

/// <summary>Metrics of the DSL's windowed operators.</summary>
internal static class DslMetrics
{
    /// <summary>Records dropped because their window (aggregation or join) had closed, beyond grace; tagged with the node.</summary>
    public static readonly Counter<long> LateRecords =
        Runtime.StreamsMetrics.Meter.CreateCounter<long>("otto.streams.late.records", description: "Records dropped because their window had closed (beyond grace).");
}
