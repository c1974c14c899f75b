using Confluent.Kafka;
using Otto.Streams.Runtime;

namespace Otto.Streams.Engine.Tests;

/// <summary>A task's buffered records come out in timestamp order across partitions; an empty partition that has
/// not reported its end holds the others back for at most the idle time.</summary>
public class PartitionGroupTests
{
    private static ConsumeResult<byte[], byte[]> At(long ms) =>
        new() { Message = new Message<byte[], byte[]> { Timestamp = new Timestamp(ms, TimestampType.CreateTime) } };

    private static long? Next(PartitionGroup group, long nowMs = 0, long maxIdleMs = 1000) =>
        group.Next(nowMs, maxIdleMs, out _)?.Message.Timestamp.UnixTimestampMs;

    [Fact]
    public void The_lowest_head_timestamp_goes_first_across_partitions()
    {
        var group = new PartitionGroup(2);
        foreach (var ms in new long[] { 2, 4, 6 }) group.Add(1, At(ms));
        foreach (var ms in new long[] { 1, 3, 5 }) group.Add(0, At(ms));
        group.MarkAtEnd(0);
        group.MarkAtEnd(1);

        Assert.Equal([1, 2, 3, 4, 5, 6], Enumerable.Range(0, 6).Select(_ => Next(group)!.Value));
        Assert.Null(Next(group));
    }

    [Fact]
    public void An_empty_partition_not_at_its_end_holds_the_task_back_until_the_idle_time_passed()
    {
        var group = new PartitionGroup(2);
        group.Add(0, At(5));

        Assert.Null(group.Next(nowMs: 100, maxIdleMs: 1000, out _));
        Assert.Null(group.Next(nowMs: 1099, maxIdleMs: 1000, out _));
        Assert.Equal(5, group.Next(nowMs: 1100, maxIdleMs: 1000, out var enforced)!.Message.Timestamp.UnixTimestampMs);
        Assert.True(enforced);
    }

    [Fact]
    public void A_partition_at_its_end_does_not_hold_the_task_back_until_it_gets_records_again()
    {
        var group = new PartitionGroup(2);
        group.MarkAtEnd(1);
        group.Add(0, At(5));
        group.MarkAtEnd(0);
        Assert.Equal(5, group.Next(0, 1000, out var enforced)!.Message.Timestamp.UnixTimestampMs);
        Assert.False(enforced);

        group.Add(1, At(7));
        Assert.Equal(7, Next(group)); // partition 0 is empty but at its end
        group.Add(0, At(9));
        Assert.Null(Next(group)); // partition 1 delivered since its end and is empty: an older record may follow
        group.MarkAtEnd(1);
        Assert.Equal(9, Next(group));
    }

    [Fact]
    public void Clearing_drops_the_buffered_records()
    {
        var group = new PartitionGroup(1);
        group.Add(0, At(1));
        group.Clear();
        Assert.Equal(0, group.Count(0));
        Assert.Null(Next(group));
    }
}
