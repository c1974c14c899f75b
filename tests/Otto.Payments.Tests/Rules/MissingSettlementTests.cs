using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>MissingSettlement: COMPLETED and no settlement within the SLA (default 1 h) after completion.</summary>
public class MissingSettlementTests
{
    private const string Rule = MissingSettlementRule.Name;

    [Fact]
    public void A_completed_payment_without_a_settlement_is_flagged_when_the_SLA_passes()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(50));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.MISSING_SETTLEMENT);
        Assert.Equal($"Completed at {PaymentsHarness.T0:O}; no settlement since.", flag.Detail);
        Assert.Empty(h.Requests.ReadValueList()); // no suspender: the flag comes without asking
    }

    [Fact]
    public void A_settlement_just_inside_the_SLA_or_a_payment_that_never_completes_raises_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.AddPayment("p2", debtor: "DE09");
        h.ChangeStatus("p2", PaymentStatus.FAILED);
        h.AddPayment("p3", debtor: "DE08");
        h.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(50));
        h.Settle("p1", "s1", 125.50m);

        h.Advance(TimeSpan.FromHours(3));

        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_settlement_clears_the_flag_with_the_same_flag_id()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Single(h.Flags.ReadValueList());

        h.Settle("p1", "s1", 125.50m);

        h.SingleCleared("p1", Rule, 1, FlagReason.MISSING_SETTLEMENT);
        h.Advance(TimeSpan.FromHours(2));
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_redelivered_COMPLETED_neither_restarts_the_SLA_nor_raises_a_second_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, eventId: "evt-completed");
        h.Advance(TimeSpan.FromMinutes(30));
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, eventId: "evt-completed");
        h.Advance(TimeSpan.FromMinutes(30));
        Assert.Single(h.Flags.ReadValueList());

        h.ChangeStatus("p1", PaymentStatus.COMPLETED, eventId: "evt-completed");
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
    }

    [Fact]
    public void A_settlement_that_arrives_before_the_payment_counts()
    {
        using var h = new PaymentsHarness(Rule);
        h.Settle("p1", "s1", 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.AddPayment("p1");

        h.Advance(TimeSpan.FromHours(2));

        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void The_SLA_runs_from_the_completion_time_so_a_late_completion_is_flagged_at_the_next_sweep()
    {
        using var h = new PaymentsHarness(Rule);
        h.Advance(TimeSpan.FromHours(2));
        h.AddPayment("p1", at: PaymentsHarness.T0);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: PaymentsHarness.T0 + TimeSpan.FromMinutes(30));
        Assert.Single(h.Flags.ReadValueList()); // already an hour and a half overdue
    }
}
