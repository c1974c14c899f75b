using Otto.Contracts;

namespace Otto.Payments.Model;

/// <summary>Facts about payment statuses that the rules share.</summary>
public static class PaymentLifecycle
{
    /// <summary>True for statuses a payment never leaves: completed, failed, cancelled.</summary>
    public static bool IsTerminal(PaymentStatus status) =>
        status is PaymentStatus.COMPLETED or PaymentStatus.FAILED or PaymentStatus.CANCELLED;
}
