using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>What the payment processor asks the topology to publish. Each kind goes to its own topic with its
/// own key: a request by correlation id, a fix by idempotency key, flags and clearings by payment id.</summary>
public abstract record PaymentOutput
{
    private PaymentOutput() { }

    /// <summary>The record key.</summary>
    public abstract string Key { get; }

    /// <summary>A GetTrnRq to send (suspender).</summary>
    public sealed record Ask(GetTrnRq Request) : PaymentOutput
    {
        /// <inheritdoc />
        public override string Key => Request.CorrelationId;
    }

    /// <summary>A FixPaymentRq to send (fixer).</summary>
    public sealed record Fix(FixPaymentRq Command) : PaymentOutput
    {
        /// <inheritdoc />
        public override string Key => Command.IdempotencyKey;
    }

    /// <summary>A flag to raise.</summary>
    public sealed record Raise(PaymentFlagged Flag) : PaymentOutput
    {
        /// <inheritdoc />
        public override string Key => Flag.PaymentId;
    }

    /// <summary>A flag whose condition resolved.</summary>
    public sealed record Clear(PaymentFlagCleared Cleared) : PaymentOutput
    {
        /// <inheritdoc />
        public override string Key => Cleared.PaymentId;
    }
}
