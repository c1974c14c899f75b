using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Payments;

namespace Otto.IntegrationTests;

/// <summary>Payments facts as the source systems send them, for the tests that drive the worker on the cluster.</summary>
internal static class PaymentFacts
{
    /// <summary>CPR's PaymentAdded for a SEPA payment still processing.</summary>
    public static PaymentAdded Added(string paymentId, string? eventId = null) => new()
    {
        EventId = eventId ?? $"{paymentId}-added", PaymentId = paymentId, OccurredAt = DateTimeOffset.UtcNow, Rail = PaymentRail.SEPA,
        DebtorAccount = "A", CreditorAccount = "B", Amount = 10m, Currency = "EUR", Status = PaymentStatus.PROCESSING,
    };

    /// <summary>A producer the way the source systems' must be set up to feed Streamiz: the Java clients' murmur2
    /// partitioner (librdkafka's default CRC32 puts a key in another partition than Streamiz's own producers).</summary>
    public static IProducer<byte[], byte[]> Producer(string bootstrap) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, Partitioner = Partitioner.Murmur2Random, LingerMs = 0 })
            .SetLogHandler((_, _) => { }).Build();

    /// <summary>Produces one record in the Confluent wire format (no flush); <paramref name="timestamp"/> defaults to now.</summary>
    public static void Produce<T>(this IProducer<byte[], byte[]> producer, PaymentsSerDes serdes, string topic, string key, T value, DateTimeOffset? timestamp = null)
        where T : class, Avro.Specific.ISpecificRecord =>
        producer.Produce(topic, new Message<byte[], byte[]>
        {
            Key = serdes.Key.Serialize(key, new SerializationContext(MessageComponentType.Key, topic)),
            Value = serdes.Value<T>().Serialize(value, new SerializationContext(MessageComponentType.Value, topic)),
            Timestamp = timestamp is { } at ? new Timestamp(at) : Timestamp.Default,
        });
}
