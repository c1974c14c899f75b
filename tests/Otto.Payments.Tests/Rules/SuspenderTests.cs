using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>Suspender mechanics shared by StuckStatus and MissingCoreTransaction: each rule's questions are its own.</summary>
public class SuspenderTests
{
    private static PaymentsHarness BothSuspenders() => new(o =>
    {
        o.Rules[StuckStatusRule.Name] = new RuleOptions { Sla = TimeSpan.FromMinutes(10) };
        o.Rules[MissingCoreTransactionRule.Name] = new RuleOptions { Sla = TimeSpan.FromMinutes(10) };
    }, StuckStatusRule.Name, MissingCoreTransactionRule.Name);

    [Fact]
    public void Two_suspenders_asking_about_one_payment_at_once_each_get_their_own_answer()
    {
        using var h = BothSuspenders();
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var requests = h.Requests.ReadValueList().ToDictionary(r => r.Rule);
        Assert.Equal(["p1:StuckStatus:1:1", "p1:MissingCoreTransaction:1:1"], new[] { requests["StuckStatus"].CorrelationId, requests["MissingCoreTransaction"].CorrelationId });

        h.Reply(requests["MissingCoreTransaction"], found: false, null);

        var flag = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(("p1:MissingCoreTransaction:1", FlagReason.MISSING_CORE_TRANSACTION), (flag.FlagId, flag.Reason));
        var stuck = h.Track("p1", StuckStatusRule.Name)!;
        Assert.Equal((RulePhase.ASKING, "p1:StuckStatus:1:1"), (stuck.Phase, stuck.Pending!.CorrelationId)); // still waiting for its own answer

        h.Reply(requests["StuckStatus"], found: true, PaymentStatus.PROCESSING);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(RulePhase.CONFIRMED, h.Track("p1", StuckStatusRule.Name)!.Phase);
        Assert.Equal(0, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void An_answer_to_one_suspender_does_not_stop_the_others_retries()
    {
        using var h = BothSuspenders();
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var stuck = h.Requests.ReadValueList().Single(r => r.Rule == StuckStatusRule.Name);

        h.Reply(stuck, found: true, PaymentStatus.PROCESSING);
        h.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["p1:MissingCoreTransaction:1:2"], h.Requests.ReadValueList().Select(r => r.CorrelationId));
        h.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["p1:MissingCoreTransaction:1:3"], h.Requests.ReadValueList().Select(r => r.CorrelationId));
        h.Advance(TimeSpan.FromMinutes(4));
        var flag = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal((FlagReason.NO_CORE_REPLY, "p1:MissingCoreTransaction:1"), (flag.Reason, flag.FlagId));
        Assert.Equal(RulePhase.CONFIRMED, h.Track("p1", StuckStatusRule.Name)!.Phase);
    }

    [Fact]
    public void A_reply_naming_the_other_rules_episode_answers_nothing_and_is_counted()
    {
        using var h = BothSuspenders();
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var stuck = h.Requests.ReadValueList().Single(r => r.Rule == StuckStatusRule.Name);
        h.Reply(stuck, found: true, PaymentStatus.PROCESSING);

        h.Reply(stuck, found: false, null); // the same correlation id again: StuckStatus is answered, MissingCoreTransaction never asked it

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(RulePhase.ASKING, h.Track("p1", MissingCoreTransactionRule.Name)!.Phase);
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
    }
}
