using System.Reflection;
using System.Runtime.InteropServices;
using Otto.Streams.KafkaNative;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>
/// The few librdkafka entry points the embedded cluster needs (rdkafka.h and rdkafka_mock.h).
/// The mock functions hand their work to the mock cluster's own thread and wait for it, so they are
/// safe to call from any thread.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Library = "rdkafka";

    internal const int ProducerType = 0; // RD_KAFKA_PRODUCER
    internal const int ConfOk = 0;       // RD_KAFKA_CONF_OK

    static LibRdKafka()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);
    }

    // The mock cluster must run in the very file Confluent.Kafka's clients use (the shipped librdkafka), or the
    // mock and the clients could differ in version.
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Library)
        {
            return IntPtr.Zero;
        }

        LibrdkafkaLoader.EnsureLoaded();
        if (LibrdkafkaLoader.Handle != IntPtr.Zero)
        {
            return LibrdkafkaLoader.Handle;
        }

        // Where the loader picked no file (not linux-x64, or a broken install), bind to whatever Confluent.Kafka's
        // own probing finds for its clients, so both sides still share one library.
        if (NativeLibrary.TryLoad("librdkafka", typeof(Confluent.Kafka.Library).Assembly, searchPath, out var handle))
        {
            return handle;
        }

        throw new DllNotFoundException("the embedded Kafka cluster needs the shipped librdkafka: " + LibrdkafkaLoader.Problem);
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library)]
    internal static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int rd_kafka_conf_set(
        ConfHandle conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr rd_kafka_new(int type, ConfHandle conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_destroy(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_conf_set_opaque(ConfHandle conf, IntPtr opaque);

    [LibraryImport(Library)]
    internal static unsafe partial void rd_kafka_conf_set_log_cb(ConfHandle conf, delegate* unmanaged[Cdecl]<IntPtr, int, byte*, byte*, void> logCb);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_opaque(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_name(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_err2str(int err);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_version_str();

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_new(KafkaHandle rk, int brokerCount);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_cluster_destroy(IntPtr mcluster);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(MockClusterHandle mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(
        MockClusterHandle mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rd_kafka_mock_topic_set_error(MockClusterHandle mcluster, string topic, int err);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_set_leader(
        MockClusterHandle mcluster, string topic, int partition, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_down(MockClusterHandle mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_up(MockClusterHandle mcluster, int brokerId);

    [LibraryImport(Library)]
    internal static partial int rd_kafka_mock_broker_set_rtt(MockClusterHandle mcluster, int brokerId, int rttMs);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_coordinator_set(
        MockClusterHandle mcluster, string keyType, string key, int brokerId);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_push_request_errors_array(
        MockClusterHandle mcluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_clear_request_errors(MockClusterHandle mcluster, short apiKey);

    /// <summary>librdkafka's human-readable text for an error code.</summary>
    internal static string ErrorString(int err) =>
        Marshal.PtrToStringUTF8(rd_kafka_err2str(err)) ?? $"librdkafka error {err}";

    /// <summary>The loaded librdkafka's version, e.g. "2.16.0".</summary>
    internal static string Version => Marshal.PtrToStringUTF8(rd_kafka_version_str()) ?? "unknown";
}
