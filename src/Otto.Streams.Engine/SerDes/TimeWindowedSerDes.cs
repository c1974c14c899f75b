using System.Buffers.Binary;
using Confluent.Kafka;
using Otto.Streams.Stream;

namespace Otto.Streams.SerDes;

/// <summary>Windowed keys as Kafka Streams' TimeWindowedSerializer writes them: the inner key's bytes, then the
/// window start as 8 big-endian bytes. The end is the start plus the window size, which the reader must know.</summary>
public sealed class TimeWindowedSerDes<K>(ISerDes<K> inner, TimeSpan windowSize) : SerDes<Windowed<K>>
{
    private readonly long _sizeMs = (long)windowSize.TotalMilliseconds;

    /// <inheritdoc />
    public override byte[] Serialize(Windowed<K> data, SerializationContext context)
    {
        var key = inner.Serialize(data.Key, context);
        var bytes = new byte[key.Length + 8];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), data.Window.StartMs);
        return bytes;
    }

    /// <inheritdoc />
    public override Windowed<K> Deserialize(byte[] data, SerializationContext context)
    {
        if (data.Length < 8) throw new FormatException($"A windowed key has at least 8 bytes, got {data.Length}.");
        var start = BinaryPrimitives.ReadInt64BigEndian(data.AsSpan(data.Length - 8));
        return new Windowed<K>(inner.Deserialize(data[..^8], context), new TimeWindow(start, start + _sizeMs));
    }
}
