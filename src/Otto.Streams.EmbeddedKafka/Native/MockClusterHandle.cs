using System.Runtime.InteropServices;

namespace Otto.Streams.EmbeddedKafka.Native;

/// <summary>
/// An rd_kafka_mock_cluster_t. It holds a reference on the rd_kafka_t that owns it, so the owner is
/// destroyed only after this cluster is, whatever order Dispose or the finalizers run in.
/// </summary>
internal sealed class MockClusterHandle : SafeHandle
{
    private readonly KafkaHandle _owner;

    private MockClusterHandle(KafkaHandle owner) : base(IntPtr.Zero, ownsHandle: true) => _owner = owner;

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal static MockClusterHandle Create(KafkaHandle owner, int brokerCount)
    {
        var cluster = new MockClusterHandle(owner);
        var addedRef = false;
        owner.DangerousAddRef(ref addedRef);
        var mcluster = LibRdKafka.rd_kafka_mock_cluster_new(owner, brokerCount);
        if (mcluster == IntPtr.Zero)
        {
            owner.DangerousRelease();
            cluster.SetHandleAsInvalid();
            throw new EmbeddedKafkaException(
                $"rd_kafka_mock_cluster_new({brokerCount}) failed; see librdkafka's log on stderr");
        }

        cluster.SetHandle(mcluster);
        return cluster;
    }

    protected override bool ReleaseHandle()
    {
        LibRdKafka.rd_kafka_mock_cluster_destroy(handle);
        _owner.DangerousRelease();
        return true;
    }
}
