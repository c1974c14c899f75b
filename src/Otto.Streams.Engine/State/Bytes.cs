namespace Otto.Streams.State;

/// <summary>A byte-array key with value equality and unsigned lexicographic order, the order RocksDB and
/// Kafka Streams use, so stores behave the same whichever backs them.</summary>
public readonly struct Bytes : IEquatable<Bytes>, IComparable<Bytes>
{
    /// <summary>Wraps <paramref name="data"/> without copying; do not mutate it afterwards.</summary>
    public Bytes(byte[] data) => Data = data ?? throw new ArgumentNullException(nameof(data));

    /// <summary>The wrapped bytes.</summary>
    public byte[] Data { get; }

    /// <inheritdoc />
    public bool Equals(Bytes other) => Data.AsSpan().SequenceEqual(other.Data);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Bytes b && Equals(b);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Data);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public int CompareTo(Bytes other) => Data.AsSpan().SequenceCompareTo(other.Data);

    /// <summary>Wraps bytes.</summary>
    public static implicit operator Bytes(byte[] data) => new(data);
}
