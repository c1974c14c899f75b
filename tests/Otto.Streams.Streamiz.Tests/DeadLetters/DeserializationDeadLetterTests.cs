using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

public sealed class DeserializationDeadLetterTests(ITestOutputHelper output)
{
    [Fact]
    public void A_value_that_does_not_deserialize_is_dead_lettered_once_with_its_original_bytes_and_headers_and_the_partition_goes_on()
    {
        using var rig = new DeadLetterRig(output, "numbers", "tenfold");
        using var counter = new DeadLetterCounter("numbers");
        rig.Produce("1", key: "k1");
        rig.Produce("2", key: "k2");
        rig.Produce("two and a half", key: "k-bad", headers: new Headers { { "trace", "abc"u8.ToArray() } });
        rig.Produce("3", key: "k3");
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Fail, (builder, _) =>
            builder.Stream<string, int, StringSerDes, NumberSerDes>(rig.Input)
                .MapValues((v, _) => (v * 10).ToString(CultureInfo.InvariantCulture))
                .To(rig.Output));

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => rig.OutputValues().Count == 3, Eventually.DefaultTimeout, "the three numbers in the output");
        rig.Produce("4", key: "k4");
        rig.Flush();
        Eventually.Blocking(() => rig.OutputValues().Count == 4, Eventually.DefaultTimeout, "a number produced after the bad one in the output");

        Assert.Equal(["10", "20", "30", "40"], rig.OutputValues());
        var dead = Assert.Single(rig.DeadLetters.Records);
        Assert.Equal("k-bad", DeadLetterRig.Text(dead.Message.Key));
        Assert.Equal("two and a half", DeadLetterRig.Text(dead.Message.Value));
        Assert.Equal("abc", DeadLetterRig.Header(dead, "trace"));
        Assert.Equal("numbers", DeadLetterRig.Header(dead, DeadLetterHeaders.Topic));
        Assert.Equal("0", DeadLetterRig.Header(dead, DeadLetterHeaders.Partition));
        Assert.Equal("2", DeadLetterRig.Header(dead, DeadLetterHeaders.Offset));
        Assert.Equal("deserialization", DeadLetterRig.Header(dead, DeadLetterHeaders.Stage));
        Assert.Equal("0-0", DeadLetterRig.Header(dead, DeadLetterHeaders.Task));
        Assert.Equal(typeof(FormatException).FullName, DeadLetterRig.Header(dead, DeadLetterHeaders.ExceptionClass));
        Assert.Contains("two and a half", DeadLetterRig.Header(dead, DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(1, counter["deserialization", "numbers"]);
        Assert.Single(rig.Log.Lines, l => l.Level == LogLevel.Warning && l.Category.EndsWith(nameof(DeadLetterQueue)) && l.Message.Contains("numbers[0]@2"));
    }

    [Fact]
    public async Task A_systemic_failure_while_deserializing_stops_the_stream_and_writes_no_dead_letter()
    {
        using var rig = new DeadLetterRig(output, "readings", "copies");
        using var counter = new DeadLetterCounter("readings");
        rig.Produce("1");
        rig.Produce("registry-down");
        rig.Produce("2");
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Fail, (builder, _) =>
            builder.Stream<string, int, StringSerDes, NumberSerDes>(rig.Input)
                .MapValues((v, _) => v.ToString(CultureInfo.InvariantCulture))
                .To(rig.Output));

        await stream.StartAsync();
        Eventually.Blocking(() => rig.State == KafkaStream.State.ERROR, Eventually.DefaultTimeout, "the stream to be in ERROR");

        Assert.Empty(rig.DeadLetters.Records);
        Assert.Equal(0, counter["deserialization", "readings"]);
        Assert.DoesNotContain("2", rig.OutputValues());
        Assert.Single(rig.Log.Lines, l => l.Level == LogLevel.Error && l.Category.EndsWith(nameof(DeadLetterQueue))
            && l.Message.Contains("Schema registry unreachable") && l.Message.Contains("readings[0]@1"));
    }

    [Fact]
    public async Task A_dead_letter_the_cluster_refuses_stops_the_stream_before_the_source_offset_is_committed()
    {
        using var rig = new DeadLetterRig(output, "amounts", "doubled");
        // The bad record first: its dead letter is usually the producer's first record, so the refusal comes back in a
        // delivery report; when the producer already knows the topic's error, Produce throws at once instead. Either
        // way the stream stops before it commits past the record.
        rig.Produce("one and a half");
        rig.Produce("1");
        rig.Produce("2");
        rig.Flush();
        // Every write to the dead-letter topic is refused.
        rig.Cluster.SetTopicError(DeadLetterRig.DeadLetterTopic, ErrorCode.TopicAuthorizationFailed);
        var stream = rig.Build(rig.Config("doubling"), ProductionErrorHandling.Fail, (builder, _) =>
            builder.Stream<string, int, StringSerDes, NumberSerDes>(rig.Input)
                .MapValues((v, _) => (v * 2).ToString(CultureInfo.InvariantCulture))
                .To(rig.Output));

        await stream.StartAsync();
        Eventually.Blocking(() => rig.State == KafkaStream.State.ERROR, Eventually.DefaultTimeout, "the stream to be in ERROR");

        using var group = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = rig.Cluster.BootstrapServers, GroupId = "doubling" }).Build();
        var committed = group.Committed([new TopicPartition("amounts", 0)], TimeSpan.FromSeconds(5)).Single().Offset;
        Assert.True(committed.Value <= 0, $"committed offset {committed} is past the record whose dead letter was lost");
        Assert.Contains(rig.Log.Lines, l => l.Level == LogLevel.Error
            && (l.Message.Contains("dead letter for dlq could not be written") || l.Message.Contains("amounts[0]@0 could not be dead-lettered")));
    }

    [Fact]
    public void Under_exactly_once_a_dead_letter_that_comes_first_opens_the_threads_transaction_and_Streamiz_carries_on_in_it()
    {
        using var rig = new DeadLetterRig(output, "prices", "tripled");
        rig.Produce("not a price");
        rig.Produce("1");
        rig.Produce("2");
        rig.Flush();
        var config = rig.Config("tripling");
        config.Guarantee = ProcessingGuarantee.EXACTLY_ONCE;
        var stream = rig.Build(config, ProductionErrorHandling.Fail, (builder, _) =>
            builder.Stream<string, int, StringSerDes, NumberSerDes>(rig.Input)
                .MapValues((v, _) => (v * 3).ToString(CultureInfo.InvariantCulture))
                .To(rig.Output));

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => rig.OutputValues().Count == 2, Eventually.DefaultTimeout, "the two prices after the bad one in the output");
        rig.Produce("3");
        rig.Flush();
        Eventually.Blocking(() => rig.OutputValues().Count == 3, Eventually.DefaultTimeout, "a price produced later in the output");

        Assert.Equal(["3", "6", "9"], rig.OutputValues());
        Assert.Equal("not a price", DeadLetterRig.Text(Assert.Single(rig.DeadLetters.Records).Message.Value));
        Assert.Equal(KafkaStream.State.RUNNING, rig.State);
    }
}
