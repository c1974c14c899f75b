using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Regression (three workers, one killed with SIGKILL): Streamiz committed in its revocation callback, the
/// coordinator answered REBALANCE_IN_PROGRESS, and Streamiz left the revoked tasks' stores open, so the survivors
/// died when the tasks came back. The stream thread's consumer lets exactly that refusal go.</summary>
public sealed class RebalancingCommitTests
{
    [Fact]
    public void A_commit_refused_because_the_group_is_rebalancing_is_let_go_and_other_refusals_are_not()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("t", 1);
        var config = EmbeddedStreams.Config(cluster, "commit-" + Guid.NewGuid().ToString("N")[..8], NullLoggerFactory.Instance, Path.GetTempPath());
        var supplier = new OttoKafkaSupplier(config);
        using var consumer = supplier.GetConsumer(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = config.ApplicationId,
            EnableAutoCommit = false,
        }, null!);
        consumer.Assign(new TopicPartitionOffset("t", 0, 0));
        TopicPartitionOffset[] offsets = [new("t", 0, 1)];

        cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RebalanceInProgress);
        consumer.Commit(offsets); // no exception

        cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.GroupAuthorizationFailed);
        var refused = Assert.Throws<KafkaException>(() => consumer.Commit(offsets));
        Assert.Equal(ErrorCode.GroupAuthorizationFailed, refused.Error.Code);
    }
}
