using Otto.Streams.State;

using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Short helpers to build and read entries.</summary>
internal static class Entries
{
    public static Bytes K(params byte[] key) => new(key);

    public static byte[] V(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    public static string? S(byte[]? value) => value is null ? null : System.Text.Encoding.UTF8.GetString(value);

    /// <summary>Drains and disposes an iterator into (hex key, value) pairs.</summary>
    public static List<(string Key, string Value)> Drain(IKeyValueIterator<Bytes, byte[]> iterator)
    {
        using (iterator)
            return iterator.Select(kv => (Convert.ToHexString(kv.Key.Data), S(kv.Value)!)).ToList();
    }

    public static List<string> Keys(IKeyValueIterator<Bytes, byte[]> iterator) => Drain(iterator).Select(e => e.Key).ToList();
}
