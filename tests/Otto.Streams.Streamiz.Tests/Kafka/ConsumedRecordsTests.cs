using Confluent.Kafka;
using Otto.Streams.Streamiz.Kafka;

namespace Otto.Streams.Streamiz.Tests.Kafka;

public sealed class ConsumedRecordsTests
{
    private static ConsumeResult<byte[], byte[]> Record(string topic, int partition, long offset) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(topic, partition, offset),
        Message = new Message<byte[], byte[]> { Value = BitConverter.GetBytes(offset) },
    };

    [Fact]
    public void Finds_a_record_by_topic_partition_and_offset_until_it_is_committed()
    {
        var records = new ConsumedRecords();
        for (var offset = 0; offset < 10; offset++)
        {
            records.Add(Record("a", 0, offset));
            records.Add(Record("a", 1, offset));
        }

        records.ForgetCommitted([new TopicPartitionOffset("a", 0, 7)]);

        Assert.Null(records.Find("a", 0, 6));
        Assert.Equal(7, records.Find("a", 0, 7)!.Offset.Value);
        Assert.Equal(9, records.Find("a", 0, 9)!.Offset.Value);
        Assert.Equal(0, records.Find("a", 1, 0)!.Offset.Value);
        Assert.Null(records.Find("b", 0, 7));
        Assert.Equal(3 + 10, records.Count);
    }

    [Fact]
    public void A_record_read_again_after_a_seek_back_replaces_the_old_copy_and_what_followed_it()
    {
        var records = new ConsumedRecords();
        for (var offset = 0; offset < 5; offset++)
        {
            records.Add(Record("a", 0, offset));
        }

        var again = Record("a", 0, 2);
        records.Add(again);

        Assert.Same(again, records.Find("a", 0, 2));
        Assert.Null(records.Find("a", 0, 3));
        Assert.Equal(3, records.Count);
    }

    [Fact]
    public void Stays_bounded_when_processing_moves_on_record_by_record()
    {
        var records = new ConsumedRecords();
        for (var offset = 0; offset < 100_000; offset++)
        {
            records.Add(Record("a", 0, offset));
            records.ForgetBefore("a", 0, offset);
        }

        Assert.Equal(1, records.Count);
        Assert.Equal(99_999, records.Find("a", 0, 99_999)!.Offset.Value);
    }

    [Fact]
    public void Forgets_revoked_partitions()
    {
        var records = new ConsumedRecords();
        records.Add(Record("a", 0, 1));
        records.Add(Record("a", 1, 1));

        records.Forget([new TopicPartition("a", 0)]);

        Assert.Null(records.Find("a", 0, 1));
        Assert.NotNull(records.Find("a", 1, 1));
    }
}
