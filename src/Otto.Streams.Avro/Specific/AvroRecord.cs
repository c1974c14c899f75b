using Otto.Streams.Avro.IO;

namespace Otto.Streams.Avro.Specific;

/// <summary>Convenience encode/decode of generated records without the wire format.</summary>
public static class AvroRecord
{
    /// <summary>The Avro binary encoding of <paramref name="value"/>.</summary>
    public static byte[] ToBytes<T>(T value) where T : IAvroRecord<T>
    {
        var writer = new AvroBinaryWriter();
        value.Write(writer);
        return writer.ToArray();
    }

    /// <summary>Decodes bytes written with <typeparamref name="T"/>'s schema; trailing bytes are an error.</summary>
    public static T FromBytes<T>(ReadOnlyMemory<byte> bytes) where T : IAvroRecord<T>
    {
        var reader = new AvroBinaryReader(bytes);
        var value = T.Read(reader);
        reader.EnsureAtEnd();
        return value;
    }

    /// <summary>Fails with a clear message when a generated record's required reference is null (the compiler's
    /// nullable checks do not stop code that ignores them).</summary>
    public static T NotNull<T>(T? value, string field) where T : class =>
        value ?? throw new AvroException($"field '{field}' is null but its schema does not allow null");

    /// <summary>Checks a generated enum value is one of the schema's symbols (C# enums accept any int).</summary>
    public static int EnumIndex(int value, int symbolCount, string field) =>
        value >= 0 && value < symbolCount ? value : throw new AvroException($"field '{field}' holds {value}, which is not a symbol of its enum");
}
