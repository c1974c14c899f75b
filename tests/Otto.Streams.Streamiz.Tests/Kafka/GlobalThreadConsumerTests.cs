using System.Reflection;
using Confluent.Kafka;
using Otto.Streams.Streamiz.Kafka;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Streamiz's global thread assigns its partitions at their checkpointed offsets and seeks to the same offsets
/// at once; librdkafka may not have applied the assignment yet and refuse the seek ("Local: Erroneous state").</summary>
public sealed class GlobalThreadConsumerTests
{
    private static readonly TopicPartition Accounts = new("accounts", 0);

    [Fact]
    public void A_seek_to_the_offset_just_assigned_is_not_sent()
    {
        var (consumer, calls) = Recorded();

        consumer.Assign([new TopicPartitionOffset(Accounts, 42)]);
        consumer.Seek(new TopicPartitionOffset(Accounts, 42));

        Assert.Equal(["Assign"], calls);
    }

    [Fact]
    public void Other_seeks_and_seeks_after_a_poll_are_sent()
    {
        var (consumer, calls) = Recorded();

        consumer.Assign([new TopicPartitionOffset(Accounts, 42)]);
        consumer.Seek(new TopicPartitionOffset(Accounts, 7)); // another offset
        consumer.Consume(TimeSpan.Zero);
        consumer.Seek(new TopicPartitionOffset(Accounts, 42)); // the position may have moved since the assignment

        Assert.Equal(["Assign", "Seek", "Consume", "Seek"], calls);
    }

    private static (GlobalThreadConsumer, List<string>) Recorded()
    {
        var inner = DispatchProxy.Create<IConsumer<byte[], byte[]>, Recorder>();
        return (new GlobalThreadConsumer(inner), ((Recorder)(object)inner).Calls);
    }

    public class Recorder : DispatchProxy
    {
        public List<string> Calls { get; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Calls.Add(targetMethod!.Name);
            return null;
        }
    }
}
