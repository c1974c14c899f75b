using System.Buffers.Binary;

namespace Otto.Streams.State.Window;

/// <summary>The byte layout of window-store keys: key bytes, then the window start as 8 big-endian bytes, then (for
/// stores that retain duplicates, as join buffers do) a 4-byte big-endian sequence number. Entries of one key sort
/// by time in any byte-ordered store, so a time range of one key is one range scan.</summary>
internal static class WindowKeySchema
{
    public static byte[] ToStoreKey(byte[] key, long timestamp, int? sequence)
    {
        var bytes = new byte[key.Length + 8 + (sequence is null ? 0 : 4)];
        key.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(key.Length), timestamp);
        if (sequence is { } s) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(key.Length + 8), s);
        return bytes;
    }

    /// <summary>The first and last store key of <paramref name="key"/> between two times (inclusive).</summary>
    public static (byte[] From, byte[] To) Range(byte[] key, long fromMs, long toMs, bool duplicates) =>
        (ToStoreKey(key, fromMs, duplicates ? 0 : null), ToStoreKey(key, toMs, duplicates ? -1 : null));

    /// <summary>Splits a store key into key bytes and time; null when its length does not fit (another key sharing the prefix).</summary>
    public static (byte[] Key, long Timestamp) Parse(byte[] storeKey, bool duplicates)
    {
        var keyLength = storeKey.Length - 8 - (duplicates ? 4 : 0);
        return (storeKey[..keyLength], BinaryPrimitives.ReadInt64BigEndian(storeKey.AsSpan(keyLength)));
    }

    /// <summary>True when <paramref name="storeKey"/> belongs to <paramref name="key"/> (not to a longer key with the same prefix).</summary>
    public static bool BelongsTo(byte[] storeKey, byte[] key, bool duplicates) =>
        storeKey.Length == key.Length + 8 + (duplicates ? 4 : 0) && storeKey.AsSpan(0, key.Length).SequenceEqual(key);
}
