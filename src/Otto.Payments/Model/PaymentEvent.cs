using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;

namespace Otto.Payments.Model;

/// <summary>Everything that can happen to a payment, as the payment processor receives it (in process only,
/// never serialized): CPR's facts, and the core's replies already joined to their request.</summary>
public abstract record PaymentEvent
{
    /// <summary>CPR added the payment.</summary>
    public sealed record Added(PaymentAdded Fact) : PaymentEvent;

    /// <summary>CPR changed the payment's status.</summary>
    public sealed record StatusChanged(PaymentStatusChanged Fact) : PaymentEvent;

    /// <summary>The core answered a GetTrnRq of this payment.</summary>
    public sealed record CoreReplied(GetTrnRs Reply) : PaymentEvent;
}
