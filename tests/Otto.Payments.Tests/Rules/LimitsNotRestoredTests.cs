using Otto.Contracts;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>LimitsNotRestored: FAILED or CANCELLED, consumed limits not restored within the SLA (default 15 min) after failing.</summary>
public class LimitsNotRestoredTests
{
    private const string Rule = LimitsNotRestoredRule.Name;

    [Fact]
    public void A_failed_payment_whose_limits_stay_consumed_past_the_SLA_is_flagged_with_the_outstanding_amount()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m);
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(50));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.LIMITS_NOT_RESTORED);
        Assert.Equal($"FAILED at {PaymentsHarness.T0:O}; 125.50 of account DE01's limits still consumed.", flag.Detail);
    }

    [Fact]
    public void A_partial_restore_leaves_the_rest_flagged()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m);
        h.Cancel("p1");
        h.Limits("p1", LimitsAction.RESTORED, 100m);
        h.Advance(TimeSpan.FromMinutes(15));

        Assert.Contains("25.50 of account DE01's limits still consumed", Assert.Single(h.Flags.ReadValueList()).Detail);
    }

    [Fact]
    public void Limits_restored_just_inside_the_SLA_or_a_completed_payment_raise_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m);
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.AddPayment("p2", debtor: "DE09");
        h.Limits("p2", LimitsAction.CONSUMED, 125.50m);
        h.ChangeStatus("p2", PaymentStatus.COMPLETED);
        h.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(50));
        h.Limits("p1", LimitsAction.RESTORED, 125.50m);

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void Restoring_clears_the_flag_and_consuming_again_opens_a_new_episode()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m);
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.Advance(TimeSpan.FromMinutes(15));
        Assert.Single(h.Flags.ReadValueList());

        h.Limits("p1", LimitsAction.RESTORED, 125.50m);
        h.SingleCleared("p1", Rule, 1, FlagReason.LIMITS_NOT_RESTORED);

        h.Limits("p1", LimitsAction.CONSUMED, 10m); // long past the SLA: flagged at once
        var again = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(("p1:LimitsNotRestored:2", 2), (again.FlagId, again.Episode));
    }

    [Fact]
    public void Redelivered_limits_facts_are_counted_once()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m, eventId: "c1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m, eventId: "c1");
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.Limits("p1", LimitsAction.RESTORED, 125.50m, eventId: "r1");
        h.Limits("p1", LimitsAction.RESTORED, 125.50m, eventId: "r1");
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m, eventId: "c1");

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal((125.50m, 125.50m), (h.State("p1")!.Limits!.Consumed, h.State("p1")!.Limits!.Restored));
    }

    [Fact]
    public void A_restore_that_arrives_before_the_consumption_and_the_failure_balances_it()
    {
        using var h = new PaymentsHarness(Rule);
        h.Limits("p1", LimitsAction.RESTORED, 125.50m);
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.Limits("p1", LimitsAction.CONSUMED, 125.50m, at: PaymentsHarness.T0 - TimeSpan.FromMinutes(1));
        h.AddPayment("p1", at: PaymentsHarness.T0 - TimeSpan.FromMinutes(2));

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(PaymentStatus.FAILED, h.State("p1")!.Status);
    }
}
