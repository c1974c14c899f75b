namespace Otto.Streams.Processors.Aggregate;

/// <summary>The folding functions of an aggregation over objects: <see cref="Add"/> folds a value into the current
/// aggregate (null when the key has none yet); <see cref="Subtract"/> takes one out (tables only).</summary>
internal sealed record Aggregation(Func<object, object, object?, object> Add, Func<object, object, object, object?>? Subtract = null)
{
    /// <summary>Kafka Streams' aggregate: the initializer seeds the first aggregate.</summary>
    public static Aggregation Of<K, V, VR>(Func<VR> initializer, Func<K, V, VR, VR> adder, Func<K, V, VR, VR>? subtractor = null) => new(
        (k, v, agg) => adder((K)k, (V)v, agg is null ? initializer() : (VR)agg)!,
        subtractor is null ? null : (k, v, agg) => subtractor((K)k, (V)v, (VR)agg));

    /// <summary>Kafka Streams' reduce: the first value is the aggregate.</summary>
    public static Aggregation Reducing<V>(Func<V, V, V> adder, Func<V, V, V>? subtractor = null) => new(
        (_, v, agg) => agg is null ? v : adder((V)agg, (V)v)!,
        subtractor is null ? null : (_, v, agg) => subtractor((V)agg, (V)v));
}
