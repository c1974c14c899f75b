using System.Globalization;
using Streamiz.Kafka.Net;

namespace Otto.Bench;

/// <summary>How far a running <see cref="KafkaStream"/> got, from Streamiz's own sensors, read on demand (the
/// reporter runs only every 30 s).</summary>
internal static class StreamizProgress
{
    /// <summary>Records the stream threads have processed so far: Streamiz's thread-level total of processed records,
    /// which 1.8.2 names <c>process-rate-total</c> (Kafka Streams: <c>process-total</c>). It counts every record a task
    /// took from a source topic, repartition topics included; global tables are not counted.</summary>
    public static long Processed(KafkaStream stream) =>
        (long)stream.Metrics()
            .SelectMany(s => s.Metrics.Values)
            .Where(m => m.Group == "stream-thread-metrics" && m.Name == "process-rate-total")
            .Sum(m => Convert.ToDouble(m.Value, CultureInfo.InvariantCulture));
}
