using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>The spec's primitive promotions: int → long, float, double; long → float, double; float → double;
/// string ↔ bytes.</summary>
internal static class Promotion
{
    public static bool CanPromote(AvroType writer, AvroType reader) => writer == reader || (writer, reader) switch
    {
        (AvroType.Int, AvroType.Long or AvroType.Float or AvroType.Double) => true,
        (AvroType.Long, AvroType.Float or AvroType.Double) => true,
        (AvroType.Float, AvroType.Double) => true,
        (AvroType.String, AvroType.Bytes) => true,
        (AvroType.Bytes, AvroType.String) => true,
        _ => false,
    };

    /// <summary>Reads the writer's physical type and converts it to the reader's physical type.</summary>
    public static Resolver.ReadStep Reader(AvroType writer, AvroType reader) => (writer, reader) switch
    {
        (AvroType.Null, AvroType.Null) => _ => null,
        (AvroType.Boolean, AvroType.Boolean) => r => r.ReadBoolean(),
        (AvroType.Int, AvroType.Int) => r => r.ReadInt(),
        (AvroType.Int, AvroType.Long) => r => (long)r.ReadInt(),
        (AvroType.Int, AvroType.Float) => r => (float)r.ReadInt(),
        (AvroType.Int, AvroType.Double) => r => (double)r.ReadInt(),
        (AvroType.Long, AvroType.Long) => r => r.ReadLong(),
        (AvroType.Long, AvroType.Float) => r => (float)r.ReadLong(),
        (AvroType.Long, AvroType.Double) => r => (double)r.ReadLong(),
        (AvroType.Float, AvroType.Float) => r => r.ReadFloat(),
        (AvroType.Float, AvroType.Double) => r => (double)r.ReadFloat(),
        (AvroType.Double, AvroType.Double) => r => r.ReadDouble(),
        (AvroType.Bytes, AvroType.Bytes) => r => r.ReadBytes(),
        (AvroType.String, AvroType.String) => r => r.ReadString(),
        // Avro strings and bytes share an encoding; bytes read as a string must still be valid UTF-8.
        (AvroType.String, AvroType.Bytes) => r => r.ReadBytes(),
        (AvroType.Bytes, AvroType.String) => r => r.ReadString(),
        _ => throw new InvalidOperationException($"no promotion from {writer} to {reader}"),
    };
}
