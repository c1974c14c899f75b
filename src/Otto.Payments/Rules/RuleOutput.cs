using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>What a rule asks the topology to publish: a request to the core, or a flag. Keyed by correlation
/// id (requests) or payment id (flags) when forwarded.</summary>
public sealed record RuleOutput(GetTrnRq? Request, PaymentFlagged? Flag)
{
    /// <summary>A GetTrnRq to send.</summary>
    public static RuleOutput Ask(GetTrnRq request) => new(request, null);

    /// <summary>A flag to raise.</summary>
    public static RuleOutput Raise(PaymentFlagged flag) => new(null, flag);

    /// <summary>The record key: the correlation id of a request, the payment id of a flag.</summary>
    public string Key => Request?.CorrelationId ?? Flag!.PaymentId;
}
