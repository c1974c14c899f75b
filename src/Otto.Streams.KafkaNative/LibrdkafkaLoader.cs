using System.Reflection;
using System.Runtime.InteropServices;

namespace Otto.Streams.KafkaNative;

/// <summary>
/// Binds Confluent.Kafka to the librdkafka this repository ships (librdkafka.redist's
/// <c>centos8-librdkafka.so</c> on linux-x64) before any client is built.
/// </summary>
/// <remarks>
/// The redist's default <c>librdkafka.so</c> needs libsasl2.so.3, which Debian 12 lacks; when it fails to load,
/// .NET's probing silently picks any system librdkafka instead, whose missing entry points only show at the first
/// consume. <c>Library.Load(path)</c> cannot be used either: it dlopens "libdl", absent without libc6-dev.
/// So a DllImport resolver on Confluent.Kafka's assembly answers with the centos8 build, which has no external
/// dependencies. <see cref="EnsureLoaded"/> must run before the first native call: the engine, the embedded
/// cluster and the simulator call it from module initializers, the worker and the bench from Main.
/// </remarks>
public static class LibrdkafkaLoader
{
    /// <summary>The librdkafka version of the librdkafka.redist package referenced in Directory.Packages.props
    /// (change both together; a test checks the loaded library against this).</summary>
    public const string ShippedVersion = "2.16.0";

    /// <summary>The redist's build without external dependencies (glibc only).</summary>
    public const string FileName = "centos8-librdkafka.so";

    // The DllImport names Confluent.Kafka 2.x tries on glibc Linux (its NativeMethods and NativeMethods_Centos8).
    private static readonly string[] ClientLibraryNames = ["librdkafka", "centos8-librdkafka"];

    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>The handle of the loaded file, or zero when none was found (see <see cref="Problem"/>).</summary>
    public static IntPtr Handle { get; private set; }

    /// <summary>The full path of the loaded file, or null.</summary>
    public static string? LibraryPath { get; private set; }

    /// <summary>Why the shipped file was not loaded (Confluent.Kafka then uses its own probing), or null.</summary>
    public static string? Problem { get; private set; }

    /// <summary>Loads the shipped librdkafka and routes Confluent.Kafka's P/Invokes to it. Idempotent, thread-safe,
    /// never throws: it runs from module initializers, where an exception would poison the whole assembly.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }
            _done = true;
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                // Elsewhere the redist's default build has no missing dependencies: Confluent.Kafka's own loading works.
                Problem = $"no {FileName} for {RuntimeInformation.RuntimeIdentifier}; Confluent.Kafka loads its default";
                return;
            }
            var candidates = Candidates().Distinct().ToList();
            var path = candidates.FirstOrDefault(File.Exists);
            if (path is null)
            {
                Problem = $"{FileName} not found (looked at {string.Join(", ", candidates)})";
                return;
            }
            try
            {
                Handle = NativeLibrary.Load(path);
                LibraryPath = path;
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, ResolveClient);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or InvalidOperationException)
            {
                // InvalidOperationException: someone else registered a resolver on Confluent.Kafka first.
                Problem = $"{path}: {e.Message}";
            }
        }
    }

    /// <summary>Why <paramref name="loaded"/> (Confluent.Kafka's <c>Library.VersionString</c>) must not be run on,
    /// or null when it is the shipped version.</summary>
    public static string? VersionProblem(string? loaded) =>
        loaded == ShippedVersion
            ? null
            : $"librdkafka {loaded ?? "(none)"} is loaded but Otto ships and is tested with {ShippedVersion}; " +
              "a different librdkafka fails at run time (missing entry points)" +
              (Problem is null ? "" : $" ({Problem})");

    // Next to the app, where the build copies runtimes/linux-x64/native/*; flat (a RID-specific publish); then next
    // to Confluent.Kafka.dll, for hosts whose base directory is not the app's.
    private static IEnumerable<string> Candidates()
    {
        var kafkaDir = Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location);
        foreach (var dir in new[] { AppContext.BaseDirectory, kafkaDir })
        {
            if (string.IsNullOrEmpty(dir))
            {
                continue;
            }
            yield return Path.GetFullPath(Path.Combine(dir, "runtimes", "linux-x64", "native", FileName));
            yield return Path.GetFullPath(Path.Combine(dir, FileName));
        }
    }

    private static IntPtr ResolveClient(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Array.IndexOf(ClientLibraryNames, libraryName) >= 0 ? Handle : IntPtr.Zero;
}
