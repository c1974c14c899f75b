using Confluent.Kafka;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

/// <summary>The production handler's answers, without a cluster (what Streamiz does with them is tested on one).</summary>
public sealed class ProductionErrorHandlingTests
{
    private static DeadLetterQueue Queue(ProductionErrorHandling handling)
    {
        var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "handling", BootstrapServers = "localhost:1" };
        return new DeadLetterQueue(new OttoKafkaSupplier(config), "dlq", handling);
    }

    private static DeliveryReport<byte[], byte[]> Refused(ErrorCode code) => new()
    {
        Message = new Message<byte[], byte[]> { Value = "v"u8.ToArray() },
        TopicPartitionOffsetError = new TopicPartitionOffsetError(new TopicPartitionOffset("out", 0, Offset.Unset), new Error(code)),
    };

    [Fact]
    public void Retry_retries_what_a_later_attempt_may_not_meet_and_fails_the_rest()
    {
        var queue = Queue(ProductionErrorHandling.Retry);

        Assert.Equal(ProductionExceptionHandlerResponse.RETRY, queue.HandleProductionError(Refused(ErrorCode.Local_MsgTimedOut)));
        Assert.Equal(ProductionExceptionHandlerResponse.RETRY, queue.HandleProductionError(Refused(ErrorCode.NotLeaderForPartition)));
        Assert.Equal(ProductionExceptionHandlerResponse.FAIL, queue.HandleProductionError(Refused(ErrorCode.MsgSizeTooLarge)));
    }

    [Fact]
    public void Fail_fails()
    {
        Assert.Equal(ProductionExceptionHandlerResponse.FAIL, Queue(ProductionErrorHandling.Fail).HandleProductionError(Refused(ErrorCode.Local_MsgTimedOut)));
    }

    [Fact]
    public void Continue_fails_where_no_stream_thread_producer_can_carry_the_dead_letter()
    {
        // Not on a stream thread nor in a delivery report of one: the record cannot be dead-lettered, so it is not dropped.
        Assert.Equal(ProductionExceptionHandlerResponse.FAIL, Queue(ProductionErrorHandling.Continue).HandleProductionError(Refused(ErrorCode.MsgSizeTooLarge)));
    }

    [Fact]
    public void One_dead_letter_queue_per_supplier()
    {
        var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "twice", BootstrapServers = "localhost:1" };
        var supplier = new OttoKafkaSupplier(config);
        _ = new DeadLetterQueue(supplier, "dlq");

        Assert.Throws<InvalidOperationException>(() => new DeadLetterQueue(supplier, "dlq"));
    }
}
