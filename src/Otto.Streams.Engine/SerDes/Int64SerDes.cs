using System.Buffers.Binary;
using Confluent.Kafka;

namespace Otto.Streams.SerDes;

/// <summary>64-bit integers as 8 big-endian bytes, byte-compatible with Kafka's LongSerializer (counts use it).</summary>
public sealed class Int64SerDes : SerDes<long>
{
    /// <inheritdoc />
    public override byte[] Serialize(long data, SerializationContext context)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, data);
        return bytes;
    }

    /// <inheritdoc />
    public override long Deserialize(byte[] data, SerializationContext context) =>
        data.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(data) : throw new FormatException($"A long is 8 bytes, got {data.Length}.");
}
