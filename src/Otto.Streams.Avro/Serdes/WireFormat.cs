using System.Buffers.Binary;
using Otto.Streams.Avro.IO;

namespace Otto.Streams.Avro.Serdes;

/// <summary>The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, the Avro body.</summary>
public static class WireFormat
{
    /// <summary>The magic byte of the current format version.</summary>
    public const byte MagicByte = 0;

    /// <summary>Bytes before the Avro body.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes the header for <paramref name="schemaId"/>.</summary>
    public static void WriteHeader(AvroBinaryWriter writer, int schemaId)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        writer.WriteRaw(header);
    }

    /// <summary>Reads the schema id from the header; the body starts at <see cref="HeaderSize"/>.</summary>
    /// <exception cref="AvroException">Too short, or the magic byte is not 0.</exception>
    public static int ReadSchemaId(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
            throw new AvroException($"not Confluent wire format: {data.Length} bytes, shorter than the {HeaderSize}-byte header");
        if (data[0] != MagicByte)
            throw new AvroException($"not Confluent wire format: magic byte 0x{data[0]:x2}, expected 0x00");
        return BinaryPrimitives.ReadInt32BigEndian(data[1..]);
    }
}
