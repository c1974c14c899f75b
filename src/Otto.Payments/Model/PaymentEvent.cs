using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;

namespace Otto.Payments.Model;

/// <summary>Everything that can happen to a payment, as the payment processor receives it (in process only,
/// never serialized): the source systems' facts, and Otto's own findings and replies already joined back.</summary>
public abstract record PaymentEvent
{
    /// <summary>CPR added the payment; <paramref name="DebtorAccount"/> is the reference table's record of the
    /// debtor account at that moment (null: unknown account).</summary>
    public sealed record Added(PaymentAdded Fact, Account? DebtorAccount) : PaymentEvent;

    /// <summary>CPR changed the payment's status.</summary>
    public sealed record StatusChanged(PaymentStatusChanged Fact) : PaymentEvent;

    /// <summary>CPR cancelled the payment.</summary>
    public sealed record Cancelled(PaymentCancelled Fact) : PaymentEvent;

    /// <summary>WSO2 saw the core book the payment's transaction.</summary>
    public sealed record CoreBooked(TrnAdded Fact) : PaymentEvent;

    /// <summary>Recon matched a (partial) settlement.</summary>
    public sealed record Settled(PaymentSettled Fact) : PaymentEvent;

    /// <summary>Limits consumed or restored a customer's limits for the payment.</summary>
    public sealed record LimitsChanged(LimitsUpdated Fact) : PaymentEvent;

    /// <summary>The core answered a GetTrnRq of this payment.</summary>
    public sealed record CoreReplied(GetTrnRs Reply) : PaymentEvent;

    /// <summary>A source system answered a FixPaymentRq of this payment.</summary>
    public sealed record FixReplied(FixPaymentRs Reply) : PaymentEvent;

    /// <summary>The duplicate detector found an earlier payment with the same details.</summary>
    public sealed record DuplicateFound(DuplicateSuspected Finding) : PaymentEvent;
}
