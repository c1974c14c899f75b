namespace Otto.Streams.Processors;

/// <summary>
/// A user processor in the Processor API (Kafka Streams' <c>Processor&lt;KIn, VIn, KOut, VOut&gt;</c>).
/// One instance exists per task; the engine calls it from one thread at a time.
/// </summary>
public interface IProcessor<KIn, VIn, KOut, VOut>
{
    /// <summary>Called once before the first record; keep the context to forward records, reach stores and schedule punctuations.</summary>
    void Init(IProcessorContext<KOut, VOut> context);

    /// <summary>Processes one record.</summary>
    void Process(Record<KIn, VIn> record);

    /// <summary>Called when the task closes. Stores are closed by the engine, not here.</summary>
    void Close() { }
}

/// <summary>A record as the Processor API sees it: key, value, timestamp (ms since epoch) and headers.</summary>
public readonly record struct Record<K, V>(K Key, V Value, long Timestamp, Confluent.Kafka.Headers? Headers = null)
{
    /// <summary>The same record with another key and value, keeping timestamp and headers.</summary>
    public Record<K2, V2> With<K2, V2>(K2 key, V2 value) => new(key, value, Timestamp, Headers);
}

/// <summary>Which clock drives a punctuation.</summary>
public enum PunctuationType
{
    /// <summary>Advances with the timestamps of the records the task processes (deterministic, data-driven).</summary>
    StreamTime,

    /// <summary>Advances with the wall clock (the engine's <see cref="TimeProvider"/>), even when no records arrive.</summary>
    WallClockTime,
}

/// <summary>Handle to a scheduled punctuation.</summary>
public interface ICancellable
{
    /// <summary>Stops further calls of the punctuator.</summary>
    void Cancel();
}

/// <summary>Where the record being processed came from. Absent during punctuation.</summary>
public sealed record RecordMetadata(string Topic, int Partition, long Offset);

/// <summary>What a processor can do besides processing: forward, reach stores, schedule, inspect its task.</summary>
public interface IProcessorContext<KOut, VOut>
{
    /// <summary>The application id (consumer group and internal topic prefix).</summary>
    string ApplicationId { get; }

    /// <summary>The task this processor instance belongs to.</summary>
    Runtime.TaskId TaskId { get; }

    /// <summary>Source of the record in hand, or null inside a punctuation.</summary>
    RecordMetadata? RecordMetadata { get; }

    /// <summary>The task's stream time: the largest record timestamp it has processed (ms), or -1 before any.</summary>
    long CurrentStreamTimeMs { get; }

    /// <summary>The wall clock of the engine's <see cref="TimeProvider"/>, in ms since epoch.</summary>
    long CurrentSystemTimeMs { get; }

    /// <summary>Forwards a record to all children.</summary>
    void Forward(Record<KOut, VOut> record);

    /// <summary>Forwards a record to one named child.</summary>
    void Forward(Record<KOut, VOut> record, string childName);

    /// <summary>A state store connected to this processor.</summary>
    TStore GetStateStore<TStore>(string name) where TStore : State.IStateStore;

    /// <summary>Calls <paramref name="punctuator"/> every <paramref name="interval"/> of the given clock, with that clock's time in ms.</summary>
    ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator);
}
