using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>Action = Fix: a FixPaymentRq instead of PaymentFlagged, its FixPaymentRs joined back by idempotency key.</summary>
public class FixActionTests
{
    private const string Rule = AmountMismatchRule.Name;

    private static PaymentsHarness Fixing(string rule = Rule) => new(o =>
        o.Rules[rule] = new RuleOptions { Action = RuleAction.Fix, Sla = rule == StuckStatusRule.Name ? TimeSpan.FromMinutes(10) : null }, rule);

    private static FixPaymentRq Mismatch(PaymentsHarness h)
    {
        h.AddPayment("p1");
        h.BookInCore("p1", amount: 120m);
        return Assert.Single(h.Fixes.ReadValueList());
    }

    [Fact]
    public void A_rule_set_to_fix_sends_FixPaymentRq_with_intent_target_and_idempotency_key_and_no_flag()
    {
        using var h = Fixing();
        h.AddPayment("p1");

        h.BookInCore("p1", amount: 120m);

        var fix = Assert.Single(h.Fixes.ReadKeyValueList());
        Assert.Equal("p1:AmountMismatch:1", fix.Message.Key);
        Assert.Equal(("p1:AmountMismatch:1", "p1", Rule, FlagReason.AMOUNT_MISMATCH, FixIntent.CORRECT_AMOUNT, "CPR"),
            (fix.Message.Value.IdempotencyKey, fix.Message.Value.PaymentId, fix.Message.Value.Rule, fix.Message.Value.Reason, fix.Message.Value.Intent, fix.Message.Value.TargetSystem));
        Assert.StartsWith("Amounts differ by 5.50", fix.Message.Value.Detail);
        Assert.Empty(h.Flags.ReadValueList());
        var entry = Assert.Single(h.OpenFlags("p1"));
        Assert.Equal((FixIntent.CORRECT_AMOUNT, (bool?)null), (entry.Fix, entry.FixApplied));
    }

    [Fact]
    public void An_applied_fix_is_recorded_and_the_condition_resolving_clears_the_flag()
    {
        using var h = Fixing();
        var fix = Mismatch(h);

        h.FixReply(fix.IdempotencyKey, applied: true);
        Assert.Empty(h.Flags.ReadValueList());
        Assert.True(Assert.Single(h.OpenFlags("p1")).FixApplied);
        Assert.Equal(("FixPaymentRs", "applied"), (h.State("p1")!.History[^1].Type, h.State("p1")!.History[^1].Outcome));

        h.BookInCore("p1", amount: 125.50m);

        var cleared = Assert.Single(h.Cleared.ReadValueList());
        Assert.Equal("p1:AmountMismatch:1", cleared.FlagId);
        Assert.Empty(h.Fixes.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_refused_fix_becomes_a_flag_with_the_same_flag_id()
    {
        using var h = Fixing();
        var fix = Mismatch(h);

        h.FixReply(fix.IdempotencyKey, applied: false, "amount is locked");

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.AMOUNT_MISMATCH);
        Assert.StartsWith("CORRECT_AMOUNT was refused: amount is locked.", flag.Detail);
        Assert.False(Assert.Single(h.OpenFlags("p1")).FixApplied);
    }

    [Fact]
    public void A_duplicate_reply_changes_nothing_and_is_counted()
    {
        using var h = Fixing();
        var fix = Mismatch(h);
        h.FixReply(fix.IdempotencyKey, applied: false);
        Assert.Single(h.Flags.ReadValueList());

        h.FixReply(fix.IdempotencyKey, applied: false);
        h.FixReply(fix.IdempotencyKey, applied: true);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Fixes.ReadValueList());
        Assert.False(Assert.Single(h.OpenFlags("p1")).FixApplied);
        Assert.Equal(2, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void A_reply_with_an_idempotency_key_Otto_never_sent_is_dropped_by_the_join()
    {
        using var h = Fixing();
        Mismatch(h);

        h.FixReply("p1:AmountMismatch:7", applied: false);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(0, h.State("p1")!.RepliesIgnored);
        Assert.DoesNotContain(h.State("p1")!.History, e => e.Type == "FixPaymentRs");
    }

    [Fact]
    public void A_fix_refused_after_the_condition_resolved_raises_no_flag()
    {
        using var h = Fixing();
        var fix = Mismatch(h);
        h.BookInCore("p1", amount: 125.50m);
        Assert.Single(h.Cleared.ReadValueList());

        h.FixReply(fix.IdempotencyKey, applied: false, "nothing to correct");

        Assert.Empty(h.Flags.ReadValueList());
        Assert.False(h.State("p1")!.Flags.Single().FixApplied);
    }

    [Fact]
    public void A_suspender_set_to_fix_sends_the_fix_after_the_core_disagrees()
    {
        using var h = Fixing(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));

        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: true, PaymentStatus.COMPLETED);

        var fix = Assert.Single(h.Fixes.ReadValueList());
        Assert.Equal(("p1:StuckStatus:1", FixIntent.SYNC_STATUS_FROM_CORE, "CPR", FlagReason.STATUS_MISMATCH),
            (fix.IdempotencyKey, fix.Intent, fix.TargetSystem, fix.Reason));
        Assert.Empty(h.Flags.ReadValueList());
    }
}
