using Confluent.Kafka;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>Where one input partition of a task stood when the task started: what the task has to read before it
/// may judge a deadline.</summary>
/// <param name="Partition">The input partition.</param>
/// <param name="StartOffset">Where the task starts reading it: the group's committed offset (or where
/// auto.offset.reset sends a group without one).</param>
/// <param name="EndOffset">Its end when the task started: the high watermark, or under read_committed the last
/// stable offset.</param>
/// <param name="LastRecordOffset">The last record below <paramref name="EndOffset"/> the task will be handed, null when
/// there is none (nothing to read, or only transaction markers and aborted records). Usually EndOffset - 1, but a
/// transaction's commit marker takes an offset and is never handed out.</param>
public sealed record PartitionBacklog(TopicPartition Partition, long StartOffset, long EndOffset, long? LastRecordOffset);
