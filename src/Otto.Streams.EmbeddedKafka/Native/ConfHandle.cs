using System.Runtime.InteropServices;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>An rd_kafka_conf_t. rd_kafka_new takes ownership on success; call <see cref="Relinquish"/> then.</summary>
internal sealed class ConfHandle : SafeHandle
{
    private ConfHandle(IntPtr conf) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(conf);

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static ConfHandle Create()
    {
        var conf = LibRdKafka.rd_kafka_conf_new();
        if (conf == IntPtr.Zero)
        {
            throw new OutOfMemoryException("rd_kafka_conf_new returned NULL");
        }

        return new ConfHandle(conf);
    }

    internal unsafe void Set(string name, string value)
    {
        byte* errstr = stackalloc byte[512];
        errstr[0] = 0;
        if (LibRdKafka.rd_kafka_conf_set(this, name, value, errstr, 512) != LibRdKafka.ConfOk)
        {
            var reason = Marshal.PtrToStringUTF8((IntPtr)errstr);
            throw new EmbeddedKafkaException($"Setting librdkafka property '{name}' failed: {reason}");
        }
    }

    /// <summary>Ownership moved into librdkafka: never destroy this conf ourselves.</summary>
    internal void Relinquish() => SetHandleAsInvalid();

    protected override bool ReleaseHandle()
    {
        LibRdKafka.rd_kafka_conf_destroy(handle);
        return true;
    }
}
