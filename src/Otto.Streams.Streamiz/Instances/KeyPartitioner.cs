using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Instances;

/// <summary>
/// The partition librdkafka's keyed partitioners choose for a key, so an instance can tell which partition (and
/// so which task and which instance) holds a key without asking the cluster. Checked against the real producer
/// on the embedded cluster (<c>KeyPartitionerTests</c>).
/// </summary>
public static class KeyPartitioner
{
    /// <summary>The partition of <paramref name="key"/> (serialized) among <paramref name="partitionCount"/>
    /// partitions under <paramref name="partitioner"/>: murmur2 (the Java clients' default; librdkafka's
    /// <c>murmur2</c>, <c>murmur2_random</c>) or CRC32 (librdkafka's default <c>consistent_random</c>, and
    /// <c>consistent</c>).</summary>
    /// <exception cref="ArgumentException">The partitioner does not place this key by its bytes (<c>random</c>;
    /// an empty key under <c>consistent_random</c>).</exception>
    public static int PartitionFor(Partitioner partitioner, ReadOnlySpan<byte> key, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return partitioner switch
        {
            Partitioner.Murmur2 or Partitioner.Murmur2Random => (int)((uint)Murmur2(key) & 0x7fffffff) % partitionCount,
            Partitioner.ConsistentRandom when key.IsEmpty => throw new ArgumentException("consistent_random places an empty key at random", nameof(key)),
            Partitioner.Consistent or Partitioner.ConsistentRandom => (int)(Crc32(key) % (uint)partitionCount),
            _ => throw new ArgumentException($"the {partitioner} partitioner does not place records by their key", nameof(partitioner)),
        };
    }

    // MurmurHash2, 32 bits, seed 0x9747b28c: Kafka's Utils.murmur2 and librdkafka's rd_murmur2.
    private static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        var h = 0x9747b28c ^ (uint)data.Length;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            var k = (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            k *= m;
            k ^= k >> 24;
            k *= m;
            h = h * m ^ k;
        }
        var rest = data.Length - i;
        if (rest == 3) h ^= (uint)data[i + 2] << 16;
        if (rest >= 2) h ^= (uint)data[i + 1] << 8;
        if (rest >= 1)
        {
            h ^= data[i];
            h *= m;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }

    private static readonly uint[] Crc32Table = BuildCrc32Table();

    // CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320; zlib's crc32): librdkafka's rd_crc32.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Crc32Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildCrc32Table()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
