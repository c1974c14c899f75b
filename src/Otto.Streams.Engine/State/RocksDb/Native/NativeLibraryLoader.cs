using System.Reflection;
using System.Runtime.InteropServices;

namespace Otto.Streams.State.RocksDb.Native;

/// <summary>Finds librocksdb: Debian ships only the versioned soname plus a dev symlink, so the plain
/// "rocksdb" probe is tried last.</summary>
internal static class NativeLibraryLoader
{
    /// <summary>The names tried, in order.</summary>
    internal static readonly string[] Candidates = ["librocksdb.so.7.8", "librocksdb.so", "rocksdb"];

    private static int _registered;

    /// <summary>Installs the resolver for this assembly once (the runtime allows only one per assembly).</summary>
    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    /// <summary>The error to throw when librocksdb cannot be loaded.</summary>
    internal static RocksDbException Missing(DllNotFoundException e, string? path) =>
        new($"librocksdb not found (tried {string.Join(", ", Candidates)}); install the librocksdb7.8 package", e.Message, path, e);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != RocksDbNative.Library) return 0;
        foreach (var candidate in Candidates)
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        return 0; // the runtime then throws DllNotFoundException; the store turns it into a RocksDbException
    }
}
