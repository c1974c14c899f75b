using Confluent.Kafka;
using Otto.Streams.Streamiz.Kafka;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Regression: after one of three workers was killed, Streamiz's revocation commit failed with
/// REBALANCE_IN_PROGRESS inside PartitionsRevoked, which left its "rebalance in progress" flag set, and the surviving
/// workers never polled again. A failed revocation is finished as a loss (Streamiz's PartitionsLost clears the flag).</summary>
public sealed class ForgettingRebalanceListenerTests
{
    private static readonly List<TopicPartitionOffset> Revoked = [new("t", 0, 5)];

    [Fact]
    public void A_revocation_that_throws_is_finished_as_a_loss_and_the_error_still_reaches_Streamiz()
    {
        var inner = new RecordingListener { FailRevocation = true };
        var records = new ConsumedRecords();
        records.Add(new ConsumeResult<byte[], byte[]> { TopicPartitionOffset = new("t", 0, 5), Message = new() { Value = [1] } });

        var error = Assert.Throws<KafkaException>(() => new ForgettingRebalanceListener(inner, records).PartitionsRevoked(null!, Revoked));

        Assert.Equal("commit refused", error.Message);
        Assert.Equal(["revoked", "lost"], inner.Calls);
        Assert.Null(records.Find("t", 0, 5));
    }

    [Fact]
    public void A_revocation_that_succeeds_is_not_also_a_loss()
    {
        var inner = new RecordingListener();

        new ForgettingRebalanceListener(inner, new ConsumedRecords()).PartitionsRevoked(null!, Revoked);

        Assert.Equal(["revoked"], inner.Calls);
    }

    private sealed class RecordingListener : IConsumerRebalanceListener
    {
        public bool FailRevocation { get; init; }
        public List<string> Calls { get; } = [];

        public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) => Calls.Add("assigned");

        public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
        {
            Calls.Add("revoked");
            if (FailRevocation) throw new KafkaException(new Error(ErrorCode.RebalanceInProgress, "commit refused"));
        }

        public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions) => Calls.Add("lost");
    }
}
