using System.Runtime.InteropServices;

namespace Otto.Streams.State.RocksDb.Native;

/// <summary>Turns a C API error pointer into a <see cref="RocksDbException"/>, freeing the native string.</summary>
internal static class NativeError
{
    /// <summary>Throws when <paramref name="error"/> is set; <paramref name="what"/> says what failed, e.g. "put into store 'x'".</summary>
    internal static void ThrowIfSet(nint error, string what, string? path = null)
    {
        if (error == 0) return;
        string text;
        try { text = Marshal.PtrToStringUTF8(error) ?? "unknown error"; }
        finally { RocksDbNative.rocksdb_free(error); }
        throw new RocksDbException($"RocksDB failed to {what}: {text}", text, path);
    }
}
