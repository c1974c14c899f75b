using Confluent.Kafka;

namespace Otto.Streams.Query;

/// <summary>What one instance of the application holds, as far as this instance knows (Kafka Streams'
/// <c>StreamsMetadata</c>): its query endpoint, the stores of its tasks and the partitions it is assigned.</summary>
/// <param name="HostInfo">Its <see cref="StreamConfig.ApplicationServer"/>; <see cref="HostInfo.Unavailable"/> when it set none.</param>
/// <param name="ProcessId">Its <see cref="KafkaStream.ProcessId"/>.</param>
/// <param name="StateStoreNames">The stores of the tasks it is assigned.</param>
/// <param name="TopicPartitions">The source partitions it is assigned (tasks restoring included).</param>
/// <param name="IsLocal">True for this instance itself (always current; others are as last published).</param>
/// <param name="PublishedAt">When it last published its assignment (now for this instance).</param>
public sealed record StreamsMetadata(HostInfo HostInfo, string ProcessId, IReadOnlySet<string> StateStoreNames,
    IReadOnlyList<TopicPartition> TopicPartitions, bool IsLocal, DateTimeOffset PublishedAt);

/// <summary>Where a key of a store lives (Kafka Streams' <c>KeyQueryMetadata</c>, without standbys: Otto keeps none).</summary>
/// <param name="ActiveHost">The instance whose active task holds the key's partition; <see cref="HostInfo.Unavailable"/>
/// when no live instance has published that partition (mid-rebalance, or nobody sets an application server).</param>
/// <param name="Partition">The key's partition.</param>
/// <param name="IsLocal">True when this instance holds the partition.</param>
public sealed record KeyQueryMetadata(HostInfo ActiveHost, int Partition, bool IsLocal);
