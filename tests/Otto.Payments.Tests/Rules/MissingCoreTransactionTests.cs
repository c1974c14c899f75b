using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>MissingCoreTransaction: added in CPR, no TrnAdded within the SLA (default 5 min) → ask the core, then flag.</summary>
public class MissingCoreTransactionTests
{
    private const string Rule = MissingCoreTransactionRule.Name;

    [Fact]
    public void No_TrnAdded_within_the_SLA_asks_the_core_and_a_core_without_it_is_flagged()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        Assert.Empty(h.Requests.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));
        var request = h.Requests.ReadKeyValue();
        Assert.Equal("p1:MissingCoreTransaction:1:1", request.Message.Key);
        Assert.Equal((Rule, 1), (request.Message.Value.Rule, request.Message.Value.Attempt));
        Assert.Empty(h.Flags.ReadValueList());

        h.Reply(request.Message.Value, found: false, null);

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.MISSING_CORE_TRANSACTION);
        Assert.Contains("no TrnAdded and the core has no transaction", flag.Detail);
    }

    [Fact]
    public void A_TrnAdded_just_inside_the_SLA_means_no_question()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(50));
        h.BookInCore("p1");

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
        Assert.Null(h.Track("p1", Rule));
    }

    [Fact]
    public void A_failed_or_cancelled_payment_is_not_expected_in_the_core()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.AddPayment("p2", debtor: "DE09");
        h.ChangeStatus("p1", PaymentStatus.FAILED);
        h.Cancel("p2");

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_core_that_has_the_transaction_ends_the_episode_without_a_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));

        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: true, PaymentStatus.PROCESSING, 125.50m);
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Equal(RulePhase.CONFIRMED, h.Track("p1", Rule)!.Phase);
        Assert.Equal(("GetTrnRs", true), (h.State("p1")!.Core!.Source, h.State("p1")!.Core!.Found));
    }

    [Fact]
    public void No_reply_retries_with_backoff_then_flags_NO_CORE_REPLY()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, h.Requests.ReadKeyValue().Message.Value.Attempt);
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("p1:MissingCoreTransaction:1:2", h.Requests.ReadKeyValue().Message.Key);
        h.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("p1:MissingCoreTransaction:1:3", h.Requests.ReadKeyValue().Message.Key);
        h.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromMinutes(1));

        var flag = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal((FlagReason.NO_CORE_REPLY, "p1:MissingCoreTransaction:1"), (flag.Reason, flag.FlagId));
        Assert.Contains("after 3 attempts", flag.Detail);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_TrnAdded_after_the_flag_clears_it_with_the_same_flag_id_and_it_does_not_come_back()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));
        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: false, null);
        Assert.Single(h.Flags.ReadValueList());

        h.BookInCore("p1");

        h.SingleCleared("p1", Rule, 1, FlagReason.MISSING_CORE_TRANSACTION);
        h.Advance(TimeSpan.FromHours(1));
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_question_in_flight_is_dropped_when_TrnAdded_arrives_and_its_late_reply_is_ignored()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));
        var request = h.Requests.ReadKeyValue().Message.Value;

        h.BookInCore("p1");
        h.Reply(request, found: false, null);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
        Assert.Equal(("TrnAdded", true), (h.State("p1")!.Core!.Source, h.State("p1")!.Core!.Found));
    }

    [Fact]
    public void A_cancellation_clears_the_flag()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));
        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: false, null);

        h.Cancel("p1");

        Assert.Equal("p1:MissingCoreTransaction:1", Assert.Single(h.Cleared.ReadValueList()).FlagId);
    }

    [Fact]
    public void A_redelivered_PaymentAdded_and_a_redelivered_reply_raise_nothing_twice()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", eventId: "evt-added");
        h.Advance(TimeSpan.FromMinutes(5));
        var request = h.Requests.ReadKeyValue().Message.Value;
        h.AddPayment("p1", eventId: "evt-added", at: PaymentsHarness.T0);
        h.Reply(request, found: false, null);
        h.Reply(request, found: false, null);
        h.AddPayment("p1", eventId: "evt-added", at: PaymentsHarness.T0);
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void A_TrnAdded_that_arrives_before_PaymentAdded_counts()
    {
        using var h = new PaymentsHarness(Rule);
        h.BookInCore("p1");
        h.Advance(TimeSpan.FromMinutes(1));
        h.AddPayment("p1", at: PaymentsHarness.T0);

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }
}
