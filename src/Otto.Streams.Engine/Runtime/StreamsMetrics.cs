using System.Diagnostics.Metrics;

namespace Otto.Streams.Runtime;

/// <summary>The engine's instruments (System.Diagnostics.Metrics), exported by the worker over OTLP or Prometheus.</summary>
public static class StreamsMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "Otto.Streams";

    internal static readonly Meter Meter = new(MeterName);
    internal static readonly Counter<long> RecordsProcessed = Meter.CreateCounter<long>("otto.streams.records.processed");
    internal static readonly Counter<long> RecordsDropped = Meter.CreateCounter<long>("otto.streams.records.dropped");
    internal static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("otto.streams.dead.letters");
    internal static readonly Counter<long> Commits = Meter.CreateCounter<long>("otto.streams.commits");
    internal static readonly Counter<long> RecordsRestored = Meter.CreateCounter<long>("otto.streams.records.restored");
    /// <summary>Changelog records still to restore before the tasks being restored can process (per task).</summary>
    internal static readonly UpDownCounter<long> RestoreRemaining = Meter.CreateUpDownCounter<long>("otto.streams.restore.remaining", "records");
    internal static readonly Counter<long> Punctuations = Meter.CreateCounter<long>("otto.streams.punctuations");
}
