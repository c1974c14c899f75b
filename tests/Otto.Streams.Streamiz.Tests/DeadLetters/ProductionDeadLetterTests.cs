using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

public sealed class ProductionDeadLetterTests(ITestOutputHelper output)
{
    [Fact]
    public void With_Continue_a_record_the_cluster_refuses_is_dead_lettered_and_the_stream_goes_on()
    {
        using var rig = new DeadLetterRig(output, "orders", "accepted");
        using var counter = new DeadLetterCounter("accepted");
        rig.Produce("first", key: "k1", headers: new Headers { { "trace", "t1"u8.ToArray() } });
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Continue, (builder, _) =>
            builder.Stream<string, string>(rig.Input).To(rig.Output));
        // The next Produce request on the cluster, the stream's first output, is refused for good.
        rig.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.MsgSizeTooLarge);

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => rig.DeadLetters.Records.Count == 1, Eventually.DefaultTimeout, "the refused record in the dead-letter topic");
        rig.Produce("second", key: "k2");
        rig.Flush();
        Eventually.Blocking(() => rig.OutputValues().Count == 1, Eventually.DefaultTimeout, "a later record in the output");

        Assert.Equal(["second"], rig.OutputValues());
        var dead = Assert.Single(rig.DeadLetters.Records);
        Assert.Equal("k1", DeadLetterRig.Text(dead.Message.Key));
        Assert.Equal("first", DeadLetterRig.Text(dead.Message.Value));
        Assert.Equal("t1", DeadLetterRig.Header(dead, "trace"));
        Assert.Equal("accepted", DeadLetterRig.Header(dead, DeadLetterHeaders.Topic));
        Assert.Equal("0", DeadLetterRig.Header(dead, DeadLetterHeaders.Partition));
        Assert.Equal("-1", DeadLetterRig.Header(dead, DeadLetterHeaders.Offset));
        Assert.Equal("production", DeadLetterRig.Header(dead, DeadLetterHeaders.Stage));
        Assert.Contains(nameof(ErrorCode.MsgSizeTooLarge), DeadLetterRig.Header(dead, DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(1, counter["production", "accepted"]);
        Assert.Equal(KafkaStream.State.RUNNING, rig.State);
    }

    [Fact]
    public void With_Fail_a_record_the_cluster_refuses_stops_the_stream()
    {
        using var rig = new DeadLetterRig(output, "payments", "settled");
        rig.Produce("first");
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Fail, (builder, _) =>
            builder.Stream<string, string>(rig.Input).To(rig.Output));
        rig.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.MsgSizeTooLarge);

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => rig.State == KafkaStream.State.ERROR, Eventually.DefaultTimeout, "the stream to be in ERROR");

        Assert.Empty(rig.DeadLetters.Records);
    }
}
