using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.KafkaNative;

namespace Otto.Simulator;

/// <summary>Confluent.Kafka client settings shared by the simulated systems.</summary>
internal static class SimulatorClients
{
    public static IProducer<string, byte[]> Producer(string bootstrapServers, string clientId, ILogger logger, LibrdkafkaLog log) =>
        new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = clientId,
            // Same key → partition mapping as the Java clients and the Otto engine.
            Partitioner = Partitioner.Murmur2Random,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        })
            .SetErrorHandler((_, e) => logger.LogWarning("{Client}: {Reason} ({Code})", clientId, e.Reason, e.Code))
            .SetLogHandler(log.Write)
            .Build();

    public static IConsumer<byte[]?, byte[]?> Consumer(string bootstrapServers, string groupId, ILogger logger, LibrdkafkaLog log) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            ClientId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
            EnablePartitionEof = false,
        })
            .SetErrorHandler((_, e) => logger.LogWarning("{Client}: {Reason} ({Code})", groupId, e.Reason, e.Code))
            .SetLogHandler(log.Write)
            .SetPartitionsAssignedHandler((_, partitions) => logger.LogDebug("{Client}: assigned {Count} partitions", groupId, partitions.Count))
            .Build();

    /// <summary>Produces, waiting for room when librdkafka's local queue is full instead of failing.</summary>
    public static void ProduceWithBackpressure(IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message,
        Action<DeliveryReport<string, byte[]>> onDelivery, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                cancellationToken.ThrowIfCancellationRequested();
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
