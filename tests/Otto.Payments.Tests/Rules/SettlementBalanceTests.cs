using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>SettlementBalance: the sum of partial settlements against the payment amount: over-settled at once (with the
/// surplus), under-settled once completed for longer than the SLA (default 1 h).</summary>
public class SettlementBalanceTests
{
    private const string Rule = SettlementBalanceRule.Name;

    [Fact]
    public void Settlements_above_the_amount_are_flagged_over_settled_at_once_with_the_surplus()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.Settle("p1", "s1", 100m);
        Assert.Empty(h.Flags.ReadValueList());

        h.Settle("p1", "s2", 50m);

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.OVER_SETTLED);
        Assert.Equal(24.50m, flag.Surplus);
        Assert.Equal("2 settlement(s) total 150.00 for a payment of 125.50: surplus 24.50.", flag.Detail);
    }

    [Fact]
    public void Settlements_short_of_the_amount_are_flagged_under_settled_only_after_the_SLA_since_completion()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 100m);
        h.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(50));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));

        var flag = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal((FlagReason.UNDER_SETTLED, "p1:SettlementBalance:1", (decimal?)null), (flag.Reason, flag.FlagId, flag.Surplus));
        Assert.EndsWith("short by 25.50.", flag.Detail);
    }

    [Fact]
    public void Balanced_settlements_or_a_short_payment_not_yet_completed_raise_nothing()
    {
        using var h = new PaymentsHarness(o => o.Rules[Rule] = new RuleOptions { Tolerance = 0.50m }, Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 100m);
        h.Settle("p1", "s2", 26m); // 0.50 over: within the tolerance
        h.AddPayment("p2", amount: 125.50m, debtor: "DE09");
        h.Settle("p2", "s3", 25m); // still PROCESSING

        h.Advance(TimeSpan.FromHours(3));

        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void The_missing_part_clears_the_flag_with_the_same_flag_id()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 100m);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Single(h.Flags.ReadValueList());

        h.Settle("p1", "s2", 25.50m);

        h.SingleCleared("p1", Rule, 1, FlagReason.UNDER_SETTLED);
    }

    [Fact]
    public void Turning_from_under_to_over_settled_clears_the_flag_and_raises_a_new_episode_with_the_surplus()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 100m);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Equal(FlagReason.UNDER_SETTLED, Assert.Single(h.Flags.ReadValueList()).Reason);

        h.Settle("p1", "s2", 50m);

        Assert.Equal("p1:SettlementBalance:1", Assert.Single(h.Cleared.ReadValueList()).FlagId);
        var over = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(("p1:SettlementBalance:2", FlagReason.OVER_SETTLED, 24.50m), (over.FlagId, over.Reason, over.Surplus));
        Assert.Equal(["p1:SettlementBalance:2"], h.OpenFlags("p1").Select(f => f.FlagId));
    }

    [Fact]
    public void A_settlement_resent_under_a_new_event_id_counts_once()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 100m, eventId: "evt-s1");
        h.Settle("p1", "s1", 100m, eventId: "evt-s1");
        h.Settle("p1", "s1", 100m, eventId: "evt-s1-resent");
        h.Settle("p1", "s2", 25.50m);

        h.Advance(TimeSpan.FromHours(2));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(["s1", "s2"], h.State("p1")!.Settlements.Select(s => s.SettlementId));
    }

    [Fact]
    public void Settlements_that_arrive_before_the_payment_are_weighed_when_it_is_added()
    {
        using var inOrder = new PaymentsHarness(Rule);
        using var reversed = new PaymentsHarness(Rule);
        inOrder.AddPayment("p1", amount: 125.50m, eventId: "a");
        inOrder.Settle("p1", "s1", 100m, eventId: "s1");
        inOrder.Settle("p1", "s2", 50m, eventId: "s2");
        reversed.Settle("p1", "s1", 100m, eventId: "s1");
        reversed.Settle("p1", "s2", 50m, eventId: "s2");
        Assert.Empty(reversed.Flags.ReadValueList());
        reversed.AddPayment("p1", amount: 125.50m, eventId: "a");

        var expected = Assert.Single(inOrder.Flags.ReadValueList());
        var actual = Assert.Single(reversed.Flags.ReadValueList());
        Assert.Equal((expected.FlagId, expected.Reason, expected.Surplus, expected.Detail), (actual.FlagId, actual.Reason, actual.Surplus, actual.Detail));
    }
}
