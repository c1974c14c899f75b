using System.Text;
using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Errors;
using static Otto.IntegrationTests.InMemory.InMemoryStreams;

namespace Otto.IntegrationTests.InMemory;

/// <summary>Output the cluster refuses (delivery errors injected per record): fail, retry, or continue with a
/// dead letter or a counted drop; the partition never stops on it unless told to fail.</summary>
public class ProductionErrorTests
{
    private static (InMemoryKafka Kafka, InMemorySupplier Supplier, ManualClock Clock) Cluster(Func<string, string, ErrorCode> fault)
    {
        var kafka = new InMemoryKafka();
        foreach (var t in new[] { "in", "out", "dlq" }) kafka.CreateTopic(t, 1);
        kafka.DeliveryFault = (topic, message) => topic == "out" ? fault(topic, Encoding.UTF8.GetString(message.Value)) : ErrorCode.NoError;
        return (kafka, new InMemorySupplier(kafka), new ManualClock());
    }

    private static KafkaStream Start(InMemorySupplier supplier, ManualClock clock, ProductionErrorHandling handling, string? dlq)
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").MapValues(v => v).To("out");
        var stream = new KafkaStream(builder.Build(), Config("prod", production: handling, deadLetterTopic: dlq), supplier, time: clock, topicManager: supplier);
        stream.Start();
        return stream;
    }

    private static readonly (string, string)[] Input = [("k1", "a"), ("k2", "big"), ("k3", "c")];

    // MsgSizeTooLarge fails the delivery; Local_UnknownPartition makes Produce itself throw, which must be
    // handled as a production error too, not taken for an error of the processor that sent the record.
    [Theory]
    [InlineData(ErrorCode.MsgSizeTooLarge)]
    [InlineData(ErrorCode.Local_UnknownPartition)]
    public async Task Continue_sends_the_refused_record_to_the_dead_letter_topic_and_the_partition_goes_on(ErrorCode refusal)
    {
        var (kafka, supplier, clock) = Cluster((_, v) => v == "big" ? refusal : ErrorCode.NoError);
        Produce(kafka, "in", Input);
        using var stream = Start(supplier, clock, ProductionErrorHandling.Continue, "dlq");
        await CommitUntil(kafka, clock, "prod", 3);

        Assert.Equal([("k1", "a"), ("k3", "c")], kafka.Committed("out"));
        Assert.Equal([("k2", "big")], kafka.Committed("dlq"));
        var headers = kafka.Read(new TopicPartition("dlq", 0), 0, readCommitted: false)!.Value.Message.Headers;
        Assert.Equal("production", Encoding.UTF8.GetString(headers.GetLastBytes(DeadLetterHeaders.Stage)));
        Assert.Equal("out", Encoding.UTF8.GetString(headers.GetLastBytes(DeadLetterHeaders.Topic)));
        Assert.Contains(refusal.ToString(), Encoding.UTF8.GetString(headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage)));
        Assert.Equal(KafkaStreamState.Running, stream.State);
    }

    [Fact]
    public async Task Continue_without_a_dead_letter_topic_drops_the_record_and_goes_on()
    {
        var (kafka, supplier, clock) = Cluster((_, v) => v == "big" ? ErrorCode.MsgSizeTooLarge : ErrorCode.NoError);
        Produce(kafka, "in", Input);
        using var stream = Start(supplier, clock, ProductionErrorHandling.Continue, dlq: null);
        await CommitUntil(kafka, clock, "prod", 3);

        Assert.Equal([("k1", "a"), ("k3", "c")], kafka.Committed("out"));
        Assert.Empty(kafka.Committed("dlq"));
    }

    [Fact]
    public async Task Retry_sends_a_record_again_after_retriable_errors_until_it_is_delivered()
    {
        var failures = 2;
        var (kafka, supplier, clock) = Cluster((_, v) => v == "big" && failures-- > 0 ? ErrorCode.RequestTimedOut : ErrorCode.NoError);
        Produce(kafka, "in", Input);
        using var stream = Start(supplier, clock, ProductionErrorHandling.Retry, dlq: null);
        await CommitUntil(kafka, clock, "prod", 3);

        Assert.Equal(["a", "big", "c"], kafka.Committed("out").Select(r => r.Value).Order());
        Assert.Equal(-1, failures);
    }

    [Theory]
    [InlineData(ProductionErrorHandling.Retry, ErrorCode.RequestTimedOut)]   // retries run out
    [InlineData(ProductionErrorHandling.Retry, ErrorCode.MsgSizeTooLarge)]  // not retriable
    [InlineData(ProductionErrorHandling.Fail, ErrorCode.RequestTimedOut)]
    public async Task Otherwise_the_thread_fails_and_commits_nothing_past_the_lost_output(ProductionErrorHandling handling, ErrorCode error)
    {
        var (kafka, supplier, clock) = Cluster((_, v) => v == "big" ? error : ErrorCode.NoError);
        Produce(kafka, "in", Input);
        using var stream = Start(supplier, clock, handling, dlq: null);
        await Eventually.True(() =>
        {
            clock.Advance(TimeSpan.FromHours(2));
            return stream.State == KafkaStreamState.Error;
        }, Wait, "the thread to fail");

        Assert.Contains(error.ToString(), stream.FatalError!.Message);
        Assert.True(CommittedTotal(kafka, "prod", "in") <= 1);
    }
}
