using System.Diagnostics.Metrics;

namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>The dead-letter instruments (System.Diagnostics.Metrics), exported by the worker.</summary>
public static class DeadLetterMetrics
{
    /// <summary>The meter name to listen to (Otto's stream instruments share it).</summary>
    public const string MeterName = "Otto.Streams";

    /// <summary>The counter's name.</summary>
    public const string DeadLettersName = "otto.streams.dead.letters";

    /// <summary>Otto's stream meter: every instrument of Otto's layer over Streamiz is created on it.</summary>
    internal static readonly Meter Meter = new(MeterName);

    /// <summary>Records sent to the dead-letter topic; tags "stage" and "topic" (the source topic, or for stage
    /// "production" the topic the record was refused on).</summary>
    internal static readonly Counter<long> DeadLetters =
        Meter.CreateCounter<long>(DeadLettersName, description: "Records sent to the dead-letter topic, per stage and topic");
}
