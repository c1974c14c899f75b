using System.Collections.Concurrent;
using Otto.Contracts;

namespace Otto.Simulator;

/// <summary>What the core would answer about a payment: whether it has a transaction, and in which status.</summary>
/// <param name="Found">False when the core has no transaction for the payment.</param>
/// <param name="Status">The core's status when found.</param>
/// <param name="Amount">The core's amount when found.</param>
public sealed record CoreAnswer(bool Found, PaymentStatus? Status, decimal? Amount);

/// <summary>
/// The core's side of the ground truth. Consistent payments are in the status CPR last published for them, so an
/// early question is not a false mismatch; StuckMismatch is COMPLETED in the core; MissingInCore is unknown;
/// CoreSilent gets no answer at all; the core's amount is the one WSO2 reported in TrnAdded. Thread-safe: the
/// publisher updates it, WSO2 reads it.
/// </summary>
public sealed class CoreLedger
{
    private readonly ConcurrentDictionary<string, SimulatedPayment> _payments;
    private readonly ConcurrentDictionary<string, PaymentStatus> _cprStatus = new();

    /// <summary>A ledger for the payments of one run.</summary>
    public CoreLedger(IEnumerable<SimulatedPayment> payments) =>
        _payments = new ConcurrentDictionary<string, SimulatedPayment>(payments.Select(p => KeyValuePair.Create(p.PaymentId, p)));

    /// <summary>Records that CPR published <paramref name="status"/> for <paramref name="paymentId"/>.</summary>
    public void CprPublished(string paymentId, PaymentStatus status) => _cprStatus[paymentId] = status;

    /// <summary>The core's answer about <paramref name="paymentId"/>, or null when WSO2 must stay silent
    /// (a CoreSilent payment, or a payment this run does not know).</summary>
    public CoreAnswer? Answer(string paymentId)
    {
        if (!_payments.TryGetValue(paymentId, out var payment)) return null;
        var amount = payment.Script.OfType<FactStep.TrnAdded>().Select(t => (decimal?)t.Amount).FirstOrDefault() ?? payment.Amount;
        return payment.Kind switch
        {
            PaymentKind.CoreSilent => null,
            PaymentKind.MissingInCore => new CoreAnswer(false, null, null),
            PaymentKind.StuckMismatch => new CoreAnswer(true, PaymentStatus.COMPLETED, amount),
            _ => new CoreAnswer(true, _cprStatus.TryGetValue(paymentId, out var s) ? s : payment.Lifecycle[^1], amount),
        };
    }
}
