using System.Runtime.InteropServices;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>The rd_kafka_t that hosts the mock cluster. It never connects anywhere itself.</summary>
internal sealed class KafkaHandle : SafeHandle
{
    // What the log callback writes to (LogCallback), freed once librdkafka can call it no more.
    private GCHandle _log;

    private KafkaHandle(IntPtr rk, GCHandle log) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(rk);
        _log = log;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates the handle from <paramref name="conf"/>; <paramref name="log"/> (from <see cref="LogCallback.Route"/>,
    /// or none) is freed with it.</summary>
    internal static unsafe KafkaHandle CreateProducer(ConfHandle conf, GCHandle log = default)
    {
        byte* errstr = stackalloc byte[512];
        errstr[0] = 0;
        var rk = LibRdKafka.rd_kafka_new(LibRdKafka.ProducerType, conf, errstr, 512);
        if (rk == IntPtr.Zero)
        {
            // On failure the conf is still ours; the caller's using disposes it.
            var reason = Marshal.PtrToStringUTF8((IntPtr)errstr);
            throw new EmbeddedKafkaException($"rd_kafka_new failed: {reason}");
        }

        conf.Relinquish();
        return new KafkaHandle(rk, log);
    }

    protected override bool ReleaseHandle()
    {
        LibRdKafka.rd_kafka_destroy(handle);
        if (_log.IsAllocated) _log.Free();
        return true;
    }
}
