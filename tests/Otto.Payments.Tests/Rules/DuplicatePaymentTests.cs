using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>DuplicatePayment: same debtor, creditor, amount and currency under another payment id within the window
/// (default 10 min, by occurred-at); the later payment is flagged.</summary>
public class DuplicatePaymentTests
{
    private const string Rule = DuplicatePaymentRule.Name;

    [Fact]
    public void The_later_of_two_payments_with_the_same_details_within_the_window_is_flagged()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));

        h.AddPayment("p2");

        var flag = h.SingleFlag("p2", Rule, 1, FlagReason.DUPLICATE_PAYMENT);
        Assert.Equal("Same debtor DE01, creditor DE02, amount 125.50 EUR as payment p1.", flag.Detail);
        Assert.Null(h.State("p1")!.DuplicateOf);
    }

    [Fact]
    public void Other_details_or_a_second_outside_the_window_raise_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.AddPayment("p2", amount: 125.51m);
        h.AddPayment("p3", creditor: "DE03");
        h.AddPayment("p4", debtor: "DE04");
        h.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        h.AddPayment("p5");

        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void Failing_or_cancelling_the_later_payment_clears_its_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.AddPayment("p2");
        h.AddPayment("p3");
        Assert.Equal(["p2:DuplicatePayment:1", "p3:DuplicatePayment:1"], h.Flags.ReadValueList().Select(f => f.FlagId));

        h.Cancel("p2");
        h.ChangeStatus("p3", PaymentStatus.FAILED);

        Assert.Equal(["p2:DuplicatePayment:1", "p3:DuplicatePayment:1"], h.Cleared.ReadValueList().Select(c => c.FlagId));
        Assert.Empty(h.OpenFlags("p2"));
    }

    [Fact]
    public void Redelivered_PaymentAdded_records_raise_nothing_more()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", eventId: "a1");
        h.AddPayment("p2", eventId: "a2");
        h.AddPayment("p1", eventId: "a1");
        h.AddPayment("p2", eventId: "a2");
        h.AddPayment("p1", eventId: "a1-resent"); // the same payment under a new event id is not its own duplicate

        Assert.Equal("p2:DuplicatePayment:1", Assert.Single(h.Flags.ReadValueList()).FlagId);
        Assert.Null(h.State("p1")!.DuplicateOf);
    }

    [Fact]
    public void When_the_later_payment_arrives_first_it_is_still_the_one_flagged()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p2", at: PaymentsHarness.T0 + TimeSpan.FromMinutes(5));
        Assert.Empty(h.Flags.ReadValueList());

        h.AddPayment("p1", at: PaymentsHarness.T0);

        h.SingleFlag("p2", DuplicatePaymentRule.Name, 1, FlagReason.DUPLICATE_PAYMENT);
        Assert.Equal("p1", h.State("p2")!.DuplicateOf);
    }
}
