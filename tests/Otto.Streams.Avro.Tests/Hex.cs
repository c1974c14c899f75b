using Otto.Streams.Avro.IO;

namespace Otto.Streams.Avro.Tests;

/// <summary>Small helpers to write and compare encodings as hex.</summary>
internal static class Hex
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    public static string Encode(Action<AvroBinaryWriter> write)
    {
        var w = new AvroBinaryWriter();
        write(w);
        return Of(w.WrittenSpan);
    }

    public static AvroBinaryReader Reader(string hex) => new(Bytes(hex));
}
