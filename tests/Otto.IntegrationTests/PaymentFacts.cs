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

    /// <summary>Produces one record in the Confluent wire format (no flush).</summary>
    public static void Produce<T>(this IProducer<byte[], byte[]> producer, PaymentsSerDes serdes, string topic, string key, T value)
        where T : class, Avro.Specific.ISpecificRecord =>
        producer.Produce(topic, new Message<byte[], byte[]>
        {
            Key = serdes.Key.Serialize(key, new SerializationContext(MessageComponentType.Key, topic)),
            Value = serdes.Value<T>().Serialize(value, new SerializationContext(MessageComponentType.Value, topic)),
        });
}
