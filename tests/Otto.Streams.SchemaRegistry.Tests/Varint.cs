namespace Otto.Streams.SchemaRegistry.Tests;

/// <summary>Avro's zig-zag varint encoding of a long: how lengths and counts are written in the binary format.</summary>
internal static class Varint
{
    public static byte[] Of(long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var bytes = new List<byte>();
        while (zigzag >= 0x80) { bytes.Add((byte)(zigzag | 0x80)); zigzag >>= 7; }
        bytes.Add((byte)zigzag);
        return [.. bytes];
    }
}
