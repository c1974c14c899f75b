namespace Otto.Streams.State;

/// <summary>Exclusive upper bounds for store iteration, in unsigned byte order.</summary>
internal static class KeyBounds
{
    /// <summary>The smallest key greater than <paramref name="key"/>: key followed by 0x00. Makes an
    /// inclusive bound exclusive without missing longer keys that start with <paramref name="key"/>.</summary>
    public static byte[] After(byte[] key)
    {
        var next = new byte[key.Length + 1];
        key.CopyTo(next, 0);
        return next;
    }

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>, or null
    /// when there is none (empty prefix, or all 0xFF).</summary>
    public static byte[]? PrefixEnd(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF) continue;
            var end = prefix[..(i + 1)];
            end[i]++;
            return end;
        }
        return null;
    }
}
