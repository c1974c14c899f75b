using Otto.Contracts;

namespace Otto.Simulator;

/// <summary>One payment of a run as drawn from the seed: its identity, its data and how it behaves.</summary>
/// <param name="Index">Position in the run, from 1.</param>
/// <param name="PaymentId">See <see cref="PaymentPlan.PaymentId"/>.</param>
/// <param name="Kind">How it behaves in the source systems and in the core.</param>
/// <param name="Rail">The payment rail (Otto's SLAs depend on it).</param>
/// <param name="DebtorAccount">The account paying.</param>
/// <param name="CreditorAccount">The account paid.</param>
/// <param name="Amount">The amount, with 2 decimals; unique in the run except for a duplicate and its original.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="DuplicateMask">Bit <c>s</c> set: fact <c>s</c> of the script is sent twice with the same event id.</param>
/// <param name="SettlementParts">How many settlements a fully settled payment gets (1 or 2).</param>
/// <param name="DuplicateOf">For a <see cref="PaymentKind.DuplicatePayment"/>: the earlier payment it repeats.</param>
public sealed record SimulatedPayment(
    int Index,
    string PaymentId,
    PaymentKind Kind,
    PaymentRail Rail,
    string DebtorAccount,
    string CreditorAccount,
    decimal Amount,
    string Currency,
    int DuplicateMask = 0,
    int SettlementParts = 1,
    string? DuplicateOf = null)
{
    /// <summary>The facts the source systems publish for this payment, in order.</summary>
    public IReadOnlyList<FactStep> Script => PaymentScripts.For(this);

    /// <summary>The statuses CPR publishes, in order (PaymentAdded's ADDED first).</summary>
    public IReadOnlyList<PaymentStatus> Lifecycle => [.. Script.Select(s => s switch
    {
        FactStep.Added => PaymentStatus.ADDED,
        FactStep.StatusChanged c => c.Status,
        FactStep.Cancelled => PaymentStatus.CANCELLED,
        _ => (PaymentStatus?)null,
    }).OfType<PaymentStatus>()];

    /// <summary>The event id of fact <paramref name="step"/> of the script (0: PaymentAdded); a duplicate reuses it.</summary>
    public string EventId(int step) => $"{PaymentId}/e{step}";

    /// <summary>True when fact <paramref name="step"/> is sent twice.</summary>
    public bool IsDuplicated(int step) => (DuplicateMask & (1 << step)) != 0;

    /// <summary>How many records the source systems write for this payment, duplicates included.</summary>
    public int Records => Script.Count + System.Numerics.BitOperations.PopCount((uint)DuplicateMask);
}
