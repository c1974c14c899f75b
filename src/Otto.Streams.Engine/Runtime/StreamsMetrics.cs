using System.Diagnostics.Metrics;

namespace Otto.Streams.Runtime;

/// <summary>The engine's instruments (System.Diagnostics.Metrics), exported by the worker over OTLP or Prometheus.</summary>
public static class StreamsMetrics
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "Otto.Streams";

    internal static readonly Meter Meter = new(MeterName);
    internal static readonly Counter<long> RecordsProcessed = Meter.CreateCounter<long>("otto.streams.records.processed", description: "Records processed, per task");
    internal static readonly Histogram<double> ProcessLatency = Meter.CreateHistogram<double>("otto.streams.process.latency", "ms", "Time to process one record through its task, per task");
    internal static readonly Counter<long> EnforcedProcessing = Meter.CreateCounter<long>("otto.streams.enforced.processing", description: "Records a task processed without waiting longer for a partition that might hold older ones (MaxTaskIdle passed), per task");
    internal static readonly Counter<long> RecordsDropped = Meter.CreateCounter<long>("otto.streams.records.dropped", description: "Records skipped, per reason");
    internal static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("otto.streams.dead.letters", description: "Records sent to the dead-letter topic, per stage and topic");
    internal static readonly Counter<long> ProductionRetries = Meter.CreateCounter<long>("otto.streams.production.retries", description: "Records sent again after a retriable delivery error");
    internal static readonly Counter<long> Commits = Meter.CreateCounter<long>("otto.streams.commits", description: "Commits, per thread");
    internal static readonly Histogram<double> CommitLatency = Meter.CreateHistogram<double>("otto.streams.commit.latency", "ms", "Time to flush stores and output and commit offsets (or the transaction), per thread");
    internal static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("otto.streams.commit.failures", description: "Offset commits that failed on a retriable error and were carried to the next commit, per thread");
    internal static readonly Counter<long> Aborts = Meter.CreateCounter<long>("otto.streams.transactions.aborted", description: "Transactions aborted (exactly_once_v2), per thread");
    internal static readonly Counter<long> RecordsRestored = Meter.CreateCounter<long>("otto.streams.records.restored", description: "Changelog records restored into stores, per changelog topic");
    /// <summary>Changelog records still to restore before the tasks being restored can process (per task).</summary>
    internal static readonly UpDownCounter<long> RestoreRemaining = Meter.CreateUpDownCounter<long>("otto.streams.restore.remaining", "records", "Changelog records still to restore, per task");
    internal static readonly Counter<long> Punctuations = Meter.CreateCounter<long>("otto.streams.punctuations", description: "Punctuator runs");
    internal static readonly Histogram<double> PunctuationLatency = Meter.CreateHistogram<double>("otto.streams.punctuation.latency", "ms", "Time one punctuator run takes, per task");

    static StreamsMetrics()
    {
        Meter.CreateObservableGauge("otto.streams.consumer.lag", ConsumerLag.Observe, description: "Records between a partition's position and its end, per thread, topic and partition");
        ClientStatistics.CreateGauges(Meter);
    }
}
