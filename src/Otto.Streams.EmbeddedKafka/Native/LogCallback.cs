using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Otto.Streams.KafkaNative;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>
/// The mock cluster's own log lines (its owner handle's, which the mock brokers log through) to a
/// <see cref="LibrdkafkaLog"/>, as Confluent.Kafka's log handler does for a client: without a log callback,
/// librdkafka prints them raw to stderr.
/// </summary>
internal static unsafe class LogCallback
{
    /// <summary>Sets the callback on <paramref name="conf"/>; the returned handle keeps <paramref name="log"/> alive
    /// and must be freed only after the rd_kafka_t made from the conf is destroyed.</summary>
    internal static GCHandle Route(ConfHandle conf, LibrdkafkaLog log)
    {
        var target = GCHandle.Alloc(log);
        LibRdKafka.rd_kafka_conf_set_opaque(conf, GCHandle.ToIntPtr(target));
        LibRdKafka.rd_kafka_conf_set_log_cb(conf, &OnLog);
        return target;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(IntPtr rk, int level, byte* facility, byte* text)
    {
        try
        {
            if (GCHandle.FromIntPtr(LibRdKafka.rd_kafka_opaque(rk)).Target is LibrdkafkaLog log)
            {
                log.Write(new LogMessage(Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_name(rk)) ?? "", (SyslogLevel)level,
                    Marshal.PtrToStringUTF8((IntPtr)facility) ?? "", Marshal.PtrToStringUTF8((IntPtr)text) ?? ""));
            }
        }
#pragma warning disable CA1031 // an exception must not unwind into librdkafka's thread
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
