using System.Buffers.Binary;
using Confluent.Kafka;
using Otto.Streams.Processors;

namespace Otto.Streams.SerDes;

/// <summary>A table update (new and old value) as one record of a groupBy repartition topic: for each value a
/// big-endian int32 length (-1: null) then its bytes, each through the value serde.</summary>
internal sealed class ChangeSerDes(ISerDes inner) : ISerDes
{
    public byte[] SerializeObject(object data, SerializationContext context)
    {
        var change = (Change)data;
        var newBytes = change.NewValue is null ? null : inner.SerializeObject(change.NewValue, context);
        var oldBytes = change.OldValue is null ? null : inner.SerializeObject(change.OldValue, context);
        var result = new byte[8 + (newBytes?.Length ?? 0) + (oldBytes?.Length ?? 0)];
        var at = Write(result, 0, newBytes);
        Write(result, at, oldBytes);
        return result;
    }

    public object DeserializeObject(byte[] data, SerializationContext context)
    {
        var (newValue, at) = Read(data, 0, context);
        var (oldValue, end) = Read(data, at, context);
        if (end != data.Length) throw new FormatException($"A change record has {data.Length - end} trailing bytes.");
        return new Change(newValue, oldValue);
    }

    private static int Write(byte[] into, int at, byte[]? bytes)
    {
        BinaryPrimitives.WriteInt32BigEndian(into.AsSpan(at), bytes?.Length ?? -1);
        bytes?.CopyTo(into, at + 4);
        return at + 4 + (bytes?.Length ?? 0);
    }

    private (object? Value, int Next) Read(byte[] data, int at, SerializationContext context)
    {
        if (data.Length < at + 4) throw new FormatException("A change record is truncated.");
        var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(at));
        if (length < 0) return (null, at + 4);
        if (data.Length < at + 4 + length) throw new FormatException("A change record is truncated.");
        return (inner.DeserializeObject(data.AsSpan(at + 4, length).ToArray(), context), at + 4 + length);
    }
}
