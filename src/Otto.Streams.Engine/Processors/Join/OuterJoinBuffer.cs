using System.Buffers.Binary;
using Otto.Streams.State;

namespace Otto.Streams.Processors.Join;

/// <summary>
/// Records of a left/outer stream-stream join that found no partner yet, shared by both sides of one task.
/// Key layout: 8-byte big-endian timestamp, 1 side byte, the key bytes, a 4-byte sequence (so duplicates stay
/// apart); time comes first so the records whose window has closed are one range scan from the start.
/// </summary>
internal sealed class OuterJoinBuffer(IKeyValueStore<byte[], byte[]> store)
{
    private int _sequence;

    public void Add(JoinSide side, byte[] key, long timestamp, byte[] value) => store.Put(StoreKey(side, key, timestamp, _sequence++), value);

    /// <summary>Removes the records of <paramref name="side"/> with this key and timestamp: they found a partner.</summary>
    public void RemoveMatched(JoinSide side, byte[] key, long timestamp)
    {
        List<byte[]> matched;
        using (var entries = store.Range(StoreKey(side, key, timestamp, 0), StoreKey(side, key, timestamp, -1)))
            matched = entries.Select(e => e.Key).Where(k => k.Length == key.Length + 13).ToList();
        foreach (var k in matched) store.Delete(k);
    }

    /// <summary>Removes and returns, oldest first, the records up to <paramref name="lastTimestamp"/> for which
    /// <paramref name="closed"/> says their window has closed.</summary>
    public List<(JoinSide Side, byte[] Key, long Timestamp, byte[] Value)> TakeClosed(long lastTimestamp, Func<JoinSide, long, bool> closed)
    {
        var result = new List<(JoinSide, byte[], long, byte[])>();
        if (lastTimestamp < 0) return result;
        var taken = new List<byte[]>();
        using (var entries = store.Range([], Timestamp(lastTimestamp + 1)))
        {
            foreach (var (k, v) in entries)
            {
                var timestamp = BinaryPrimitives.ReadInt64BigEndian(k);
                var side = k[8] == 0 ? JoinSide.Left : JoinSide.Right;
                if (!closed(side, timestamp)) continue;
                result.Add((side, k[9..^4], timestamp, v));
                taken.Add(k);
            }
        }
        foreach (var k in taken) store.Delete(k);
        return result;
    }

    private static byte[] Timestamp(long timestamp)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        return bytes;
    }

    private static byte[] StoreKey(JoinSide side, byte[] key, long timestamp, int sequence)
    {
        var bytes = new byte[13 + key.Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp);
        bytes[8] = side == JoinSide.Left ? (byte)0 : (byte)1;
        key.CopyTo(bytes, 9);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(9 + key.Length), sequence);
        return bytes;
    }
}
