using Confluent.Kafka;

namespace Otto.Streams.SerDes;

/// <summary>Bytes as they are, e.g. to read dead letters, whose values are whatever the source wrote.</summary>
public sealed class ByteArraySerDes : SerDes<byte[]>
{
    /// <inheritdoc />
    public override byte[] Serialize(byte[] data, SerializationContext context) => data;

    /// <inheritdoc />
    public override byte[] Deserialize(byte[] data, SerializationContext context) => data;
}
