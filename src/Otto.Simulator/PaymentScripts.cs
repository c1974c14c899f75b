using Otto.Contracts;
using Otto.Contracts.Limits;

namespace Otto.Simulator;

/// <summary>
/// The facts every source system publishes for a payment of each <see cref="PaymentKind"/>. A payment that must
/// stay unflagged gives every rule what it needs: limits consumed when added (and restored if it fails or is
/// cancelled), TrnAdded with CPR's amount once processing, settlements adding up to the amount after COMPLETED.
/// Each anomaly leaves out or bends exactly what its rules look at.
/// </summary>
public static class PaymentScripts
{
    /// <summary>What WSO2's amount differs by for an <see cref="PaymentKind.AmountMismatch"/> payment.</summary>
    public const decimal AmountMismatchDelta = 1.00m;

    /// <summary>The facts of <paramref name="payment"/>, in publishing order.</summary>
    public static IReadOnlyList<FactStep> For(SimulatedPayment payment)
    {
        var amount = payment.Amount;
        FactStep[] start = [new FactStep.Added(), new FactStep.Limits(LimitsAction.CONSUMED), new FactStep.StatusChanged(PaymentStatus.PENDING)];
        FactStep[] processing = [new FactStep.StatusChanged(PaymentStatus.PROCESSING), new FactStep.TrnAdded(amount)];
        FactStep completed = new FactStep.StatusChanged(PaymentStatus.COMPLETED);
        return payment.Kind switch
        {
            PaymentKind.SlowButConsistent or PaymentKind.StuckMismatch or PaymentKind.CoreSilent => [.. start, .. processing],
            PaymentKind.MissingInCore => start,
            PaymentKind.FailedRestored => [.. start, new FactStep.StatusChanged(PaymentStatus.FAILED), new FactStep.Limits(LimitsAction.RESTORED)],
            PaymentKind.LimitsNotRestored => [.. start, new FactStep.StatusChanged(PaymentStatus.FAILED)],
            PaymentKind.Cancelled => [.. start, new FactStep.Cancelled(), new FactStep.Limits(LimitsAction.RESTORED)],
            PaymentKind.AmountMismatch =>
                [.. start, processing[0], new FactStep.TrnAdded(amount + AmountMismatchDelta), completed, .. Settlements(amount, payment.SettlementParts)],
            PaymentKind.MissingSettlement => [.. start, .. processing, completed],
            PaymentKind.UnderSettled => [.. start, .. processing, completed, Part(1, amount * 0.5m), Part(2, amount * 0.3m)],
            PaymentKind.OverSettled => [.. start, .. processing, completed, Part(1, amount * 0.6m), Part(2, amount * 0.6m)],
            PaymentKind.StatusRegression =>
                [.. start, .. processing, completed, .. Settlements(amount, payment.SettlementParts), new FactStep.StatusChanged(PaymentStatus.PROCESSING)],
            // Normal, DuplicatePayment, AccountNotActive: their anomaly (if any) is in the payment's data, not its facts.
            _ => [.. start, .. processing, completed, .. Settlements(amount, payment.SettlementParts)],
        };
    }

    // Settled in full: at once, or in two parts (60 % and the rest).
    private static FactStep[] Settlements(decimal amount, int parts) => parts <= 1
        ? [Part(1, amount)]
        : [Part(1, amount * 0.6m), Part(2, amount - decimal.Round(amount * 0.6m, 2))];

    private static FactStep.Settled Part(int part, decimal amount) => new(part, decimal.Round(amount, 2));
}
