using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Contracts.Reference;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>AccountNotActive: the reference table (a global table) says the debtor account is CLOSED or BLOCKED when the payment is added.</summary>
public class AccountNotActiveTests
{
    private const string Rule = AccountNotActiveRule.Name;

    [Theory]
    [InlineData(AccountStatus.CLOSED)]
    [InlineData(AccountStatus.BLOCKED)]
    public void A_payment_from_a_closed_or_blocked_account_is_flagged_at_once(AccountStatus status)
    {
        using var h = new PaymentsHarness(Rule);
        h.Account("DE01", status);

        h.AddPayment("p1", debtor: "DE01");

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.ACCOUNT_NOT_ACTIVE);
        Assert.Equal($"Debtor account DE01 was {status} when the payment was added.", flag.Detail);
    }

    [Fact]
    public void An_active_or_unknown_account_or_one_closed_after_the_payment_raises_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.Account("DE01", AccountStatus.ACTIVE);
        h.AddPayment("p1", debtor: "DE01");
        h.AddPayment("p2", debtor: "DE77"); // not in the reference table (it may lag): not flagged
        h.Account("DE01", AccountStatus.CLOSED);
        h.ChangeStatus("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(AccountStatus.ACTIVE, h.State("p1")!.DebtorAccountStatus);
        Assert.Null(h.State("p2")!.DebtorAccountStatus);
    }

    [Fact]
    public void Cancelling_or_failing_the_payment_clears_the_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.Account("DE01", AccountStatus.CLOSED);
        h.AddPayment("p1", debtor: "DE01");
        h.AddPayment("p2", debtor: "DE01", amount: 5m);

        h.Cancel("p1");
        h.ChangeStatus("p2", PaymentStatus.FAILED);

        Assert.Equal(["p1:AccountNotActive:1", "p2:AccountNotActive:1"], h.Cleared.ReadValueList().Select(c => c.FlagId));
    }

    [Fact]
    public void A_redelivered_PaymentAdded_raises_no_second_flag_even_after_the_account_reopened()
    {
        using var h = new PaymentsHarness(Rule);
        h.Account("DE01", AccountStatus.BLOCKED);
        h.AddPayment("p1", debtor: "DE01", eventId: "a1");
        h.Account("DE01", AccountStatus.ACTIVE);

        h.AddPayment("p1", debtor: "DE01", eventId: "a1");

        Assert.Single(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal(AccountStatus.BLOCKED, h.State("p1")!.DebtorAccountStatus);
    }

    [Fact]
    public void A_cancellation_that_arrives_before_PaymentAdded_means_no_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.Account("DE01", AccountStatus.CLOSED);
        h.Cancel("p1", at: PaymentsHarness.T0 + TimeSpan.FromMinutes(1));

        h.AddPayment("p1", debtor: "DE01", at: PaymentsHarness.T0);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(PaymentStatus.CANCELLED, h.State("p1")!.Status);
    }
}
