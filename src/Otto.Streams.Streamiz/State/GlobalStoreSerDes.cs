using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Otto.Streams.Streamiz.DeadLetters;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.State;

/// <summary>
/// The value serde of a global table's store (give it to the table's <c>Materialized.WithValueSerdes</c>; the topic's
/// records are still read with the table's own serde, whose failures Streamiz's deserialization handler dead-letters).
/// A stored value that cannot be read is absent: the join sees no row, the value is counted
/// (<see cref="UnreadableName"/>, tag "store") and the task goes on.
/// </summary>
/// <remarks>
/// Why: Streamiz 1.8 restores a global store by copying its topic's bytes into the store without deserializing them
/// (no reprocess-on-restore), so a record dead-lettered when it was read live comes back into the store at every
/// restore, and the first payment joined to its key then failed its stream task, and the worker, at every start.
/// A systemic failure (the registry unreachable, a subject missing) is still thrown: it stops the worker.
/// </remarks>
public sealed class GlobalStoreSerDes<T>(ISerDes<T> inner, string store) : AbstractSerDes<T> where T : class
{
    /// <summary>The counter's name, in Otto's stream meter (<see cref="DeadLetterMetrics.MeterName"/>).</summary>
    public const string UnreadableName = "otto.streams.store.unreadable.values";

    private static readonly Counter<long> Unreadable = DeadLetterMetrics.Meter.CreateCounter<long>(UnreadableName, description: "Values read from a global table's store that could not be deserialized and were taken as absent");

    /// <inheritdoc />
    public override void Initialize(SerDesContext context)
    {
        inner.Initialize(context);
        base.Initialize(context);
    }

    /// <inheritdoc />
    public override byte[] Serialize(T data, SerializationContext context) => inner.Serialize(data, context);

    /// <inheritdoc />
    public override T Deserialize(byte[] data, SerializationContext context)
    {
        try
        {
            return inner.Deserialize(data, context);
        }
        catch (Exception e) when (!DeadLetterQueue.IsSystemic(e))
        {
            Unreadable.Add(1, new KeyValuePair<string, object?>("store", store));
            return null!;
        }
    }
}
