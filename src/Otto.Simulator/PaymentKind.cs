using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Simulator;

/// <summary>How a simulated payment behaves in CPR and in the core: the ground truth Otto is measured against.</summary>
public enum PaymentKind
{
    /// <summary>ADDED → PENDING → PROCESSING → COMPLETED, quickly; the core agrees at every step.</summary>
    Normal,

    /// <summary>Stops at PROCESSING and the core also says PROCESSING: slow, not inconsistent. Must not be flagged.</summary>
    SlowButConsistent,

    /// <summary>Anomaly: CPR stops at PROCESSING, the core says COMPLETED (STATUS_MISMATCH).</summary>
    StuckMismatch,

    /// <summary>Anomaly: CPR stops at PENDING, the core has no transaction (NOT_FOUND_IN_CORE).</summary>
    MissingInCore,

    /// <summary>Anomaly: CPR stops at PROCESSING and WSO2 never answers (NO_CORE_REPLY after retries).</summary>
    CoreSilent,
}

/// <summary>The behaviour that follows from a <see cref="PaymentKind"/>.</summary>
public static class PaymentKinds
{
    /// <summary>The injected anomalies, in the order they are dealt.</summary>
    public static IReadOnlyList<PaymentKind> Anomalies { get; } =
        [PaymentKind.StuckMismatch, PaymentKind.MissingInCore, PaymentKind.CoreSilent];

    /// <summary>True for kinds Otto must flag.</summary>
    public static bool IsAnomaly(this PaymentKind kind) => kind is PaymentKind.StuckMismatch or PaymentKind.MissingInCore or PaymentKind.CoreSilent;

    /// <summary>The flag reason Otto should raise, or null for kinds it must not flag.</summary>
    public static FlagReason? ExpectedReason(this PaymentKind kind) => kind switch
    {
        PaymentKind.StuckMismatch => FlagReason.STATUS_MISMATCH,
        PaymentKind.MissingInCore => FlagReason.NOT_FOUND_IN_CORE,
        PaymentKind.CoreSilent => FlagReason.NO_CORE_REPLY,
        _ => null,
    };

    /// <summary>The statuses CPR publishes, in order: the first in PaymentAdded, the rest in PaymentStatusChanged.</summary>
    public static IReadOnlyList<PaymentStatus> CprLifecycle(this PaymentKind kind) => kind switch
    {
        PaymentKind.Normal => [PaymentStatus.ADDED, PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.COMPLETED],
        PaymentKind.MissingInCore => [PaymentStatus.ADDED, PaymentStatus.PENDING],
        _ => [PaymentStatus.ADDED, PaymentStatus.PENDING, PaymentStatus.PROCESSING],
    };
}
