using Otto.Contracts;

namespace Otto.Payments.Model;

/// <summary>
/// The payment lifecycle graph: ADDED → PENDING → PROCESSING → COMPLETED | FAILED, with skips forward allowed
/// (a source may not report every step) and CANCELLED or FAILED reachable from any non-terminal status.
/// Terminal statuses have no way out. Anything else is a regression.
/// </summary>
public static class PaymentLifecycle
{
    /// <summary>True for statuses a payment never leaves: completed, failed, cancelled.</summary>
    public static bool IsTerminal(PaymentStatus status) =>
        status is PaymentStatus.COMPLETED or PaymentStatus.FAILED or PaymentStatus.CANCELLED;

    /// <summary>True when the lifecycle allows going from <paramref name="from"/> to <paramref name="to"/>
    /// (staying in the same status is allowed: a repeated report).</summary>
    public static bool Allows(PaymentStatus from, PaymentStatus to) =>
        from == to || (!IsTerminal(from) && (IsTerminal(to) || Step(to) > Step(from)));

    /// <summary>The order of the non-terminal steps (0 for ADDED); terminal statuses come after all of them.</summary>
    public static int Step(PaymentStatus status) => status switch
    {
        PaymentStatus.ADDED => 0,
        PaymentStatus.PENDING => 1,
        PaymentStatus.PROCESSING => 2,
        _ => 3,
    };
}
