using Otto.Streams.Processors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>A record stream (Kafka Streams' KStream). Operators return new streams; nothing runs until the
/// topology is built and started.</summary>
public interface IKStream<K, V>
{
    /// <summary>Keeps records that satisfy <paramref name="predicate"/>.</summary>
    IKStream<K, V> Filter(Func<K, V, bool> predicate, string? named = null);

    /// <summary>Drops records that satisfy <paramref name="predicate"/>.</summary>
    IKStream<K, V> FilterNot(Func<K, V, bool> predicate, string? named = null);

    /// <summary>Transforms each value, keeping the key (no repartitioning needed).</summary>
    IKStream<K, VR> MapValues<VR>(Func<K, V, VR> mapper, string? named = null);

    /// <summary>Transforms each value, keeping the key.</summary>
    IKStream<K, VR> MapValues<VR>(Func<V, VR> mapper, string? named = null);

    /// <summary>Gives each record a new key (downstream stateful operations need the data repartitioned by it).</summary>
    IKStream<KR, V> SelectKey<KR>(Func<K, V, KR> keySelector, string? named = null);

    /// <summary>Calls <paramref name="action"/> for each record and passes it on unchanged.</summary>
    IKStream<K, V> Peek(Action<K, V> action, string? named = null);

    /// <summary>Interleaves this stream with <paramref name="other"/>.</summary>
    IKStream<K, V> Merge(IKStream<K, V> other, string? named = null);

    /// <summary>Writes each record to <paramref name="topic"/> (serdes default to the stream's, then the config's).</summary>
    void To(string topic, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null);

    /// <summary>Joins each record with the table's current value for its key; records without a match are dropped.</summary>
    IKStream<K, VR> Join<VT, VR>(IKTable<K, VT> table, Func<V, VT, VR> joiner, string? named = null);

    /// <summary>Joins each record with the table's current value for its key, or null when there is none.</summary>
    IKStream<K, VR> LeftJoin<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, string? named = null);

    /// <summary>Runs a Processor API processor (one instance per task) connected to the named stores, and
    /// continues with what it forwards.</summary>
    IKStream<KOut, VOut> Process<KOut, VOut>(Func<IProcessor<K, V, KOut, VOut>> supplier, string? named = null, params string[] storeNames);
}

/// <summary>A changelog stream materialized as a table (Kafka Streams' KTable).</summary>
public interface IKTable<K, V>
{
    /// <summary>The name of the store holding the table, for interactive queries and the test driver.</summary>
    string QueryableStoreName { get; }

    /// <summary>The table's updates as a stream (a deletion is a record with a null value).</summary>
    IKStream<K, V> ToStream(string? named = null);
}
