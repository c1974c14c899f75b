using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>AmountMismatch: CPR's, WSO2's and Recon's amounts differ beyond the tolerance (default 0), or CPR's and WSO2's currencies differ.</summary>
public class AmountMismatchTests
{
    private const string Rule = AmountMismatchRule.Name;

    [Fact]
    public void CPR_and_WSO2_amounts_that_differ_are_flagged_at_once_with_every_amount()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);

        h.BookInCore("p1", amount: 120.00m);

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.AMOUNT_MISMATCH);
        Assert.Equal("Amounts differ by 5.50 (tolerance 0.00): CPR 125.50, WSO2 120.00.", flag.Detail);
    }

    [Fact]
    public void Recons_payment_amount_is_compared_too()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", amount: 125.50m);
        h.BookInCore("p1", amount: 125.50m);

        h.Settle("p1", "s1", 100m, paymentAmount: 130m);

        Assert.Equal("Amounts differ by 4.50 (tolerance 0.00): CPR 125.50, WSO2 125.50, Recon 130.00.", Assert.Single(h.Flags.ReadValueList()).Detail);
    }

    [Fact]
    public void Different_currencies_are_flagged_even_with_equal_amounts()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");

        h.BookInCore("p1", currency: "USD");

        Assert.StartsWith("Currencies differ: CPR EUR, WSO2 USD", Assert.Single(h.Flags.ReadValueList()).Detail);
    }

    [Fact]
    public void A_difference_just_inside_the_rails_tolerance_is_not_flagged_and_one_cent_more_is()
    {
        using var h = new PaymentsHarness(o => o.Rules[Rule] = new RuleOptions { Tolerance = 5m, ToleranceByRail = { [PaymentRail.SEPA] = 1m } }, Rule);
        h.AddPayment("p1", amount: 100m);
        h.BookInCore("p1", amount: 101m);
        h.AddPayment("p2", amount: 100m, debtor: "DE09");
        h.BookInCore("p2", amount: 101.01m);

        Assert.Equal(["p2:AmountMismatch:1"], h.Flags.ReadValueList().Select(f => f.FlagId));
    }

    [Fact]
    public void Agreeing_sources_raise_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.BookInCore("p1");
        h.Settle("p1", "s1", 125.50m);
        h.Advance(TimeSpan.FromHours(2));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Null(h.Track("p1", Rule));
    }

    [Fact]
    public void A_corrected_fact_clears_the_flag_and_a_new_mismatch_is_a_new_episode()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.BookInCore("p1", amount: 120m, eventId: "trn-wrong");
        Assert.Single(h.Flags.ReadValueList());
        h.Advance(TimeSpan.FromMinutes(1));

        h.BookInCore("p1", amount: 125.50m);
        h.SingleCleared("p1", Rule, 1, FlagReason.AMOUNT_MISMATCH);

        h.Advance(TimeSpan.FromMinutes(1));
        h.Settle("p1", "s1", 125.50m, paymentAmount: 99m);
        var again = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(("p1:AmountMismatch:2", 2), (again.FlagId, again.Episode));
    }

    [Fact]
    public void The_wrong_fact_redelivered_after_the_correction_changes_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.BookInCore("p1", amount: 120m, eventId: "trn-wrong");
        h.Advance(TimeSpan.FromMinutes(1));
        h.BookInCore("p1", amount: 125.50m);
        h.Flags.ReadValueList();
        h.Cleared.ReadValueList();

        h.BookInCore("p1", amount: 120m, eventId: "trn-wrong", at: PaymentsHarness.T0);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal(125.50m, h.State("p1")!.Core!.Amount);
    }

    [Fact]
    public void A_late_older_TrnAdded_does_not_override_a_newer_one()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.BookInCore("p1", amount: 125.50m, at: PaymentsHarness.T0 + TimeSpan.FromMinutes(2));

        h.BookInCore("p1", amount: 120m, at: PaymentsHarness.T0 + TimeSpan.FromMinutes(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(125.50m, h.State("p1")!.Core!.Amount);
    }

    [Fact]
    public void WSO2_and_Recon_before_PaymentAdded_give_the_same_flag_as_in_order()
    {
        using var inOrder = new PaymentsHarness(Rule);
        using var reversed = new PaymentsHarness(Rule);
        inOrder.AddPayment("p1", eventId: "a");
        inOrder.BookInCore("p1", amount: 120m, eventId: "t");
        inOrder.Settle("p1", "s1", 120m, paymentAmount: 120m, eventId: "s");
        reversed.Settle("p1", "s1", 120m, paymentAmount: 120m, eventId: "s");
        reversed.BookInCore("p1", amount: 120m, eventId: "t");
        Assert.Empty(reversed.Flags.ReadValueList()); // WSO2 and Recon agree; CPR's amount is not known yet
        reversed.AddPayment("p1", eventId: "a");

        var expected = Assert.Single(inOrder.Flags.ReadValueList());
        var actual = Assert.Single(reversed.Flags.ReadValueList());
        // The detail names the amounts known when the flag was raised: here all three, in order only CPR's and WSO2's.
        Assert.Equal((expected.FlagId, expected.Reason, expected.Episode), (actual.FlagId, actual.Reason, actual.Episode));
        Assert.Equal("Amounts differ by 5.50 (tolerance 0.00): CPR 125.50, WSO2 120.00, Recon 120.00.", actual.Detail);
    }

    [Fact]
    public void A_core_reply_without_an_amount_keeps_TrnAddeds_amount()
    {
        using var h = new PaymentsHarness(o => o.Rules[StuckStatusRule.Name] = new RuleOptions { Sla = TimeSpan.FromMinutes(10) }, Rule, StuckStatusRule.Name);
        h.AddPayment("p1");
        h.BookInCore("p1", amount: 120m);
        Assert.Single(h.Flags.ReadValueList());
        h.Advance(TimeSpan.FromMinutes(10));

        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: true, PaymentStatus.PROCESSING, coreAmount: null);

        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal((120m, "GetTrnRs"), (h.State("p1")!.Core!.Amount, h.State("p1")!.Core!.Source));
    }
}
