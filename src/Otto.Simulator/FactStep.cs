using Otto.Contracts;
using Otto.Contracts.Limits;

namespace Otto.Simulator;

/// <summary>One fact a source system publishes about a simulated payment; a payment's facts go out in order,
/// <see cref="SimulatorOptions.StepDelay"/> apart, each with a strictly later occurred-at.</summary>
public abstract record FactStep
{
    private FactStep() { }

    /// <summary>The system that publishes it: CPR, WSO2, RECON or LIMITS.</summary>
    public abstract string System { get; }

    /// <summary>CPR's PaymentAdded (status ADDED).</summary>
    public sealed record Added : FactStep
    {
        /// <inheritdoc />
        public override string System => "CPR";
    }

    /// <summary>CPR's PaymentStatusChanged to <paramref name="Status"/>.</summary>
    public sealed record StatusChanged(PaymentStatus Status) : FactStep
    {
        /// <inheritdoc />
        public override string System => "CPR";
    }

    /// <summary>CPR's PaymentCancelled.</summary>
    public sealed record Cancelled : FactStep
    {
        /// <inheritdoc />
        public override string System => "CPR";
    }

    /// <summary>WSO2's TrnAdded: the core booked the payment for <paramref name="Amount"/>.</summary>
    public sealed record TrnAdded(decimal Amount) : FactStep
    {
        /// <inheritdoc />
        public override string System => "WSO2";
    }

    /// <summary>SettlementRecon's PaymentSettled: settlement <paramref name="Part"/> of <paramref name="Amount"/>.</summary>
    public sealed record Settled(int Part, decimal Amount) : FactStep
    {
        /// <inheritdoc />
        public override string System => "RECON";
    }

    /// <summary>Limits' LimitsUpdated for the payment's amount on the debtor account.</summary>
    public sealed record Limits(LimitsAction Action) : FactStep
    {
        /// <inheritdoc />
        public override string System => "LIMITS";
    }
}
