using System.Buffers.Binary;
using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>A value with the timestamp of the record that wrote it, as a timestamped store keeps it.</summary>
public sealed record ValueAndTimestamp<V>(V Value, long Timestamp);

/// <summary>Stores a <see cref="ValueAndTimestamp{V}"/> as Kafka Streams does: the timestamp as 8 big-endian
/// bytes, then the value's bytes.</summary>
public sealed class ValueAndTimestampSerDes<V>(ISerDes<V> valueSerDes) : SerDes<ValueAndTimestamp<V>>
{
    /// <inheritdoc />
    public override byte[] Serialize(ValueAndTimestamp<V> data, SerializationContext context)
    {
        var value = valueSerDes.Serialize(data.Value, context);
        var bytes = new byte[sizeof(long) + value.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, data.Timestamp);
        value.CopyTo(bytes, sizeof(long));
        return bytes;
    }

    /// <inheritdoc />
    public override ValueAndTimestamp<V> Deserialize(byte[] data, SerializationContext context)
    {
        if (data.Length < sizeof(long))
            throw new FormatException($"A timestamped value needs at least 8 bytes of timestamp, got {data.Length}.");
        return new(valueSerDes.Deserialize(data[sizeof(long)..], context), BinaryPrimitives.ReadInt64BigEndian(data));
    }
}

/// <summary>A key-value store whose values carry the timestamp of the record that wrote them (Kafka Streams'
/// TimestampedKeyValueStore).</summary>
public interface ITimestampedKeyValueStore<K, V> : IKeyValueStore<K, ValueAndTimestamp<V>>
{
}

/// <summary>The typed layer of a timestamped store: the metered layer with a value-and-timestamp serde.</summary>
internal sealed class MeteredTimestampedKeyValueStore<K, V>(IKeyValueStore<Bytes, byte[]> inner, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    : MeteredKeyValueStore<K, ValueAndTimestamp<V>>(inner, keySerDes, new ValueAndTimestampSerDes<V>(valueSerDes)), ITimestampedKeyValueStore<K, V>
{
}
