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

    /// <summary>Transforms each record into a new key and value (downstream stateful operations repartition by the new key).</summary>
    IKStream<KR, VR> Map<KR, VR>(Func<K, V, KeyValuePair<KR, VR>> mapper, string? named = null);

    /// <summary>Transforms each record into zero or more records (downstream stateful operations repartition by the new keys).</summary>
    IKStream<KR, VR> FlatMap<KR, VR>(Func<K, V, IEnumerable<KeyValuePair<KR, VR>>> mapper, string? named = null);

    /// <summary>Transforms each value into zero or more values, keeping the key.</summary>
    IKStream<K, VR> FlatMapValues<VR>(Func<K, V, IEnumerable<VR>> mapper, string? named = null);

    /// <summary>Transforms each value into zero or more values, keeping the key.</summary>
    IKStream<K, VR> FlatMapValues<VR>(Func<V, IEnumerable<VR>> mapper, string? named = null);

    /// <summary>Calls <paramref name="action"/> for each record; a terminal operation.</summary>
    void Foreach(Action<K, V> action, string? named = null);

    /// <summary>Splits the stream into branches: each record goes to the first branch whose predicate it satisfies
    /// (Kafka Streams' split/BranchedKStream).</summary>
    IBranchedKStream<K, V> Split(string? named = null);

    /// <summary>Writes the stream through a repartition topic (<c>{applicationId}-{name}-repartition</c>) and reads it back, partitioned by key.</summary>
    IKStream<K, V> Repartition(Repartitioned<K, V>? repartitioned = null);

    /// <summary>Reads the stream as a table's changelog: a value upserts, a null value deletes (repartitions first when the key changed).</summary>
    IKTable<K, V> ToTable(Materialized<K, V>? materialized = null, string? named = null);

    /// <summary>Groups records by their key for an aggregation (repartitions first when the key changed).</summary>
    IKGroupedStream<K, V> GroupByKey(Grouped<K, V>? grouped = null);

    /// <summary>Groups records by a new key for an aggregation, through a repartition topic.</summary>
    IKGroupedStream<KR, V> GroupBy<KR>(Func<K, V, KR> keySelector, Grouped<KR, V>? grouped = null);

    /// <summary>Gives each record a new key (downstream stateful operations need the data repartitioned by it).</summary>
    IKStream<KR, V> SelectKey<KR>(Func<K, V, KR> keySelector, string? named = null);

    /// <summary>Calls <paramref name="action"/> for each record and passes it on unchanged.</summary>
    IKStream<K, V> Peek(Action<K, V> action, string? named = null);

    /// <summary>Interleaves this stream with <paramref name="other"/>.</summary>
    IKStream<K, V> Merge(IKStream<K, V> other, string? named = null);

    /// <summary>Writes each record to <paramref name="topic"/> (serdes default to the stream's, then the config's).</summary>
    void To(string topic, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null);

    /// <summary>Writes each record to the topic <paramref name="topicExtractor"/> chooses for it.</summary>
    void To(TopicNameExtractor<K, V> topicExtractor, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null);

    /// <summary>Joins each record with the table's current value for its key; records without a match are dropped.</summary>
    IKStream<K, VR> Join<VT, VR>(IKTable<K, VT> table, Func<V, VT, VR> joiner, string? named = null);

    /// <summary>Joins each record with the table's current value for its key, or null when there is none.</summary>
    IKStream<K, VR> LeftJoin<VT, VR>(IKTable<K, VT> table, Func<V, VT?, VR> joiner, string? named = null);

    /// <summary>Joins each record with the global table's value for the key <paramref name="keySelector"/> computes; records without a match are dropped.</summary>
    IKStream<K, VR> Join<KG, VG, VR>(IGlobalKTable<KG, VG> table, Func<K, V, KG> keySelector, Func<V, VG, VR> joiner, string? named = null);

    /// <summary>Joins each record with the global table's value for the key <paramref name="keySelector"/> computes, or null when there is none.</summary>
    IKStream<K, VR> LeftJoin<KG, VG, VR>(IGlobalKTable<KG, VG> table, Func<K, V, KG> keySelector, Func<V, VG?, VR> joiner, string? named = null);

    /// <summary>Joins records of both streams with the same key whose timestamps are within <paramref name="windows"/>.</summary>
    IKStream<K, VR> Join<VO, VR>(IKStream<K, VO> other, Func<V, VO, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null);

    /// <summary>As <see cref="Join{VO,VR}(IKStream{K,VO},Func{V,VO,VR},JoinWindows,StreamJoined{K,V,VO})"/>, and a record of this stream
    /// that finds no partner is emitted with null when its window closes.</summary>
    IKStream<K, VR> LeftJoin<VO, VR>(IKStream<K, VO> other, Func<V, VO?, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null);

    /// <summary>As the inner join, and a record of either stream that finds no partner is emitted with null for the other side when its window closes.</summary>
    IKStream<K, VR> OuterJoin<VO, VR>(IKStream<K, VO> other, Func<V?, VO?, VR> joiner, JoinWindows windows, StreamJoined<K, V, VO>? joined = null);

    /// <summary>Runs a Processor API processor (one instance per task) connected to the named stores, and
    /// continues with what it forwards (which may have new keys: later stateful operations repartition).</summary>
    IKStream<KOut, VOut> Process<KOut, VOut>(Func<IProcessor<K, V, KOut, VOut>> supplier, string? named = null, params string[] storeNames);
}
