using Confluent.Kafka;
using Otto.Payments.Model;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Bench;

/// <summary>
/// Hands payment events to a topology in Streamiz's TopologyTestDriver (SYNC_TASK) without encoding them: the driver
/// processes a piped record before the next one is piped, so the "bytes" are only a ticket for the one event in hand.
/// (Streamiz deserializes a record twice, for its timestamp and to process it: the ticket stays valid until the next
/// event.) Lets a benchmark drive the payment processor as the old engine's did, facts in hand, while the stores keep
/// their real serdes.
/// </summary>
internal sealed class FactsByReference : AbstractSerDes<PaymentEvent>
{
    private long _ticket;
    private PaymentEvent? _inHand;

    public override byte[] Serialize(PaymentEvent data, SerializationContext context)
    {
        _inHand = data;
        return BitConverter.GetBytes(++_ticket);
    }

    public override PaymentEvent Deserialize(byte[] data, SerializationContext context) =>
        BitConverter.ToInt64(data) == _ticket && _inHand is not null
            ? _inHand
            : throw new InvalidOperationException("A fact was read after the next one was piped: the driver did not process it at once.");
}
