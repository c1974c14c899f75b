using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>How a stream is grouped: a name for the repartition topic (<c>{applicationId}-{name}-repartition</c>)
/// and the serdes of the grouped records (Kafka Streams' Grouped).</summary>
public sealed class Grouped<K, V>
{
    /// <summary>The name of the repartition topic and its nodes, or null to derive one.</summary>
    public string? Name { get; private init; }

    /// <summary>Key serde (default: the stream's, then the config's).</summary>
    public ISerDes<K>? KeySerDes { get; private init; }

    /// <summary>Value serde (default: the stream's, then the config's).</summary>
    public ISerDes<V>? ValueSerDes { get; private init; }

    /// <summary>A grouping with a name.</summary>
    public static Grouped<K, V> As(string name) => new() { Name = name };

    /// <summary>A grouping with serdes.</summary>
    public static Grouped<K, V> With(ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes) => new() { KeySerDes = keySerDes, ValueSerDes = valueSerDes };

    /// <summary>This grouping with serdes.</summary>
    public Grouped<K, V> WithSerDes(ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes) => new() { Name = Name, KeySerDes = keySerDes, ValueSerDes = valueSerDes };
}

/// <summary>How a stream is repartitioned by <see cref="IKStream{K,V}.Repartition"/>: topic name, partition count, serdes.</summary>
public sealed class Repartitioned<K, V>
{
    /// <summary>The name of the repartition topic (<c>{applicationId}-{name}-repartition</c>), or null to generate one.</summary>
    public string? Name { get; private init; }

    /// <summary>The partition count, or null for that of the upstream source topics.</summary>
    public int? NumberOfPartitions { get; private init; }

    /// <summary>Key serde (default: the stream's, then the config's).</summary>
    public ISerDes<K>? KeySerDes { get; private init; }

    /// <summary>Value serde (default: the stream's, then the config's).</summary>
    public ISerDes<V>? ValueSerDes { get; private init; }

    /// <summary>A repartitioning with a topic name.</summary>
    public static Repartitioned<K, V> As(string name) => new() { Name = name };

    /// <summary>A repartitioning into <paramref name="partitions"/> partitions.</summary>
    public static Repartitioned<K, V> WithNumberOfPartitions(int partitions) => partitions > 0
        ? new() { NumberOfPartitions = partitions }
        : throw new ArgumentOutOfRangeException(nameof(partitions), "a topic needs at least one partition");

    /// <summary>A repartitioning with serdes.</summary>
    public static Repartitioned<K, V> With(ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes) => new() { KeySerDes = keySerDes, ValueSerDes = valueSerDes };

    /// <summary>This repartitioning with a topic name (<c>{applicationId}-{name}-repartition</c>).</summary>
    public Repartitioned<K, V> WithName(string name) => new() { Name = name, NumberOfPartitions = NumberOfPartitions, KeySerDes = KeySerDes, ValueSerDes = ValueSerDes };

    /// <summary>This repartitioning with a partition count.</summary>
    public Repartitioned<K, V> WithPartitions(int partitions) => new() { Name = Name, NumberOfPartitions = partitions, KeySerDes = KeySerDes, ValueSerDes = ValueSerDes };
}
