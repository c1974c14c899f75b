using Otto.Contracts;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Processing;

/// <summary>The catch-up guard: while the task processes records older than CatchUpLag (a backlog), SLA rules wait.</summary>
public class CatchUpTests
{
    private static readonly TimeSpan Backlog = TimeSpan.FromHours(1);

    [Fact]
    public void Without_a_backlog_a_payment_already_past_its_SLA_is_asked_about_at_once()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);

        h.AddPayment("p1", at: h.Now - Backlog);

        Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
    }

    [Fact]
    public void A_backlog_that_resolves_the_condition_never_raises_a_question()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        Assert.Empty(h.Requests.ReadValueList());
        h.Advance(TimeSpan.FromSeconds(10)); // a sweep while the backlog is being read: deferred
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: h.Now - Backlog + TimeSpan.FromMinutes(3));

        h.RecordAge = TimeSpan.Zero;
        h.Advance(TimeSpan.FromMinutes(30));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void After_the_backlog_the_first_sweep_waits_and_the_next_evaluates()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        h.RecordAge = TimeSpan.Zero;
        h.AddPayment("p2", debtor: "DE09", at: h.Now - Backlog); // fresh record, still within the catch-up interval
        Assert.Empty(h.Requests.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Requests.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["p1:StuckStatus:1:1", "p2:StuckStatus:1:1"], h.Requests.ReadValueList().Select(r => r.CorrelationId).Order());
    }

    [Fact]
    public void A_timed_flag_waits_for_the_backlog_but_an_untimed_rule_does_not()
    {
        using var h = new PaymentsHarness(MissingSettlementRule.Name, AmountMismatchRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: h.Now - Backlog);
        h.BookInCore("p1", amount: 1m, at: h.Now - Backlog);

        Assert.Equal([AmountMismatchRule.Name], h.Flags.ReadValueList().Select(f => f.Rule));
        h.RecordAge = TimeSpan.Zero;
        h.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([MissingSettlementRule.Name], h.Flags.ReadValueList().Select(f => f.Rule));
    }

    [Fact]
    public void A_record_just_inside_the_catch_up_lag_does_not_defer_anything()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = h.Options.CatchUpLag;

        h.AddPayment("p1", at: h.Now - Backlog);

        Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
    }
}
