using System.Text;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>The Java client's default keyed partitioning (32-bit MurmurHash2, seed 0x9747b28c), as an oracle.</summary>
internal static class JavaPartitioner
{
    public static int PartitionFor(string key, int partitionCount) =>
        (int)((uint)Murmur2(Encoding.UTF8.GetBytes(key)) & 0x7fffffff) % partitionCount;

    private static int Murmur2(byte[] data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28c ^ (uint)length;

        var i = 0;
        for (; i + 4 <= length; i += 4)
        {
            var k = (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        switch (length - i)
        {
            case 3:
                h ^= (uint)data[i + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[i + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[i];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
