namespace Otto.Streams.Avro.Schema;

/// <summary>The CRC-64-AVRO fingerprint of the spec ("Schema Fingerprints").</summary>
public static class RabinFingerprint
{
    /// <summary>The fingerprint of the empty input, also the polynomial's seed.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = BuildTable();

    /// <summary>The 64-bit Rabin fingerprint of <paramref name="data"/> (as a signed long, like Java's).</summary>
    public static long Compute(ReadOnlySpan<byte> data)
    {
        var fp = Empty;
        foreach (var b in data)
        {
            fp = (fp >> 8) ^ Table[(int)((fp ^ b) & 0xff)];
        }
        return unchecked((long)fp);
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var fp = (ulong)i;
            for (var j = 0; j < 8; j++)
            {
                fp = (fp >> 1) ^ (Empty & (0UL - (fp & 1UL)));
            }
            table[i] = fp;
        }
        return table;
    }
}
