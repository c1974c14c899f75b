using System.Runtime.InteropServices;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>The rd_kafka_t that hosts the mock cluster. It never connects anywhere itself.</summary>
internal sealed class KafkaHandle : SafeHandle
{
    private KafkaHandle(IntPtr rk) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(rk);

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static unsafe KafkaHandle CreateProducer(ConfHandle conf)
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
        return new KafkaHandle(rk);
    }

    protected override bool ReleaseHandle()
    {
        LibRdKafka.rd_kafka_destroy(handle);
        return true;
    }
}
