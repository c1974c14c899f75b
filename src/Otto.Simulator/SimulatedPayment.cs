using Otto.Contracts;

namespace Otto.Simulator;

/// <summary>One payment of a run as drawn from the seed: its identity, its data and how it behaves.</summary>
/// <param name="Index">Position in the run, from 1.</param>
/// <param name="PaymentId">See <see cref="PaymentPlan.PaymentId"/>.</param>
/// <param name="Kind">How it behaves in CPR and in the core.</param>
/// <param name="Rail">The payment rail (Otto's SLA depends on it).</param>
/// <param name="DebtorAccount">The account paying.</param>
/// <param name="CreditorAccount">The account paid.</param>
/// <param name="Amount">The amount, with 2 decimals.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="DuplicateMask">Bit <c>s</c> set: lifecycle step <c>s</c> is sent twice with the same event id.</param>
public sealed record SimulatedPayment(
    int Index,
    string PaymentId,
    PaymentKind Kind,
    PaymentRail Rail,
    string DebtorAccount,
    string CreditorAccount,
    decimal Amount,
    string Currency,
    int DuplicateMask = 0)
{
    /// <summary>The statuses CPR publishes for this payment.</summary>
    public IReadOnlyList<PaymentStatus> Lifecycle => Kind.CprLifecycle();

    /// <summary>The event id of lifecycle step <paramref name="step"/> (0: PaymentAdded); a duplicate reuses it.</summary>
    public string EventId(int step) => $"{PaymentId}/e{step}";

    /// <summary>True when lifecycle step <paramref name="step"/> is sent twice.</summary>
    public bool IsDuplicated(int step) => (DuplicateMask & (1 << step)) != 0;

    /// <summary>How many records CPR writes for this payment, duplicates included.</summary>
    public int Records => Lifecycle.Count + System.Numerics.BitOperations.PopCount((uint)DuplicateMask);
}
