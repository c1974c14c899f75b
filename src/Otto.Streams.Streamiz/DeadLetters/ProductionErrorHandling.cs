namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>What to do when the cluster refuses a record the topology produced (Otto's setting behind Streamiz's
/// production exception handler, <see cref="DeadLetterQueue.HandleProductionError"/>).</summary>
/// <remarks>
/// Streamiz calls the handler only for errors it does not already treat as fatal (authorization, serialization,
/// fenced producer: those stop the thread whatever the setting). Under exactly-once any refused record makes
/// librdkafka's transaction abortable, so only <see cref="Fail"/> makes sense there.
/// </remarks>
public enum ProductionErrorHandling
{
    /// <summary>Stop the stream thread; offsets past the lost output are not committed.</summary>
    Fail,

    /// <summary>Let Streamiz send the record again (on its next send or flush) when the error is one a later attempt
    /// may not meet (timeouts, leadership changes, lost connections); fail otherwise.</summary>
    Retry,

    /// <summary>Give the record up and go on: it goes to the dead-letter topic with stage "production".</summary>
    Continue,
}
