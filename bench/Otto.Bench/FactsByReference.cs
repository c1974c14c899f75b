using Confluent.Kafka;
using Otto.Payments.Model;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Bench;

/// <summary>
/// Hands payment events to a topology in Streamiz's TopologyTestDriver (SYNC_TASK) without encoding them: the driver
/// serializes a piped record and its task deserializes it before the next one is piped, so the "bytes" are only a
/// ticket for the object waiting in a queue. Lets a benchmark drive the payment processor as the old engine's did,
/// facts in hand, while the stores keep their real serdes.
/// </summary>
internal sealed class FactsByReference : AbstractSerDes<PaymentEvent>
{
    private static readonly byte[] Ticket = [1];
    private readonly Queue<PaymentEvent> _waiting = new();

    public override byte[] Serialize(PaymentEvent data, SerializationContext context)
    {
        _waiting.Enqueue(data);
        return Ticket;
    }

    public override PaymentEvent Deserialize(byte[] data, SerializationContext context) =>
        _waiting.TryDequeue(out var fact) ? fact : throw new InvalidOperationException("A fact was read that was never piped.");
}
