using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

public class StuckStatusTests
{
    [Fact]
    public void A_payment_past_its_SLA_in_a_non_terminal_status_sends_GetTrnRq_keyed_by_a_deterministic_correlation_id()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");

        h.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(h.Requests.ReadValueList());

        h.Advance(TimeSpan.FromMinutes(1));
        var request = Assert.Single(h.Requests.ReadKeyValueList());
        Assert.Equal("p1:StuckStatus:1:1", request.Message.Key);
        Assert.Equal(request.Message.Key, request.Message.Value.CorrelationId);
        Assert.Equal(("p1", "StuckStatus", 1), (request.Message.Value.PaymentId, request.Message.Value.Rule, request.Message.Value.Attempt));
        Assert.Equal("p1:StuckStatus:1:1", h.Track("p1", StuckStatusRule.Name)!.Pending!.CorrelationId);
    }

    [Fact]
    public void A_payment_that_reaches_a_terminal_status_in_time_is_never_asked_about()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(5));
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);

        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_matching_reply_raises_no_flag_and_no_further_request_for_the_episode()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var request = h.Requests.ReadKeyValue().Message.Value;

        h.Reply(request, found: true, PaymentStatus.PROCESSING);
        h.Advance(TimeSpan.FromHours(2));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Null(h.Track("p1", StuckStatusRule.Name)!.Pending);
    }

    [Fact]
    public void A_mismatching_reply_raises_one_flag_with_both_statuses_and_an_idempotency_key()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var request = h.Requests.ReadKeyValue().Message.Value;

        h.Reply(request, found: true, PaymentStatus.COMPLETED);

        var flag = h.SingleFlag("p1", StuckStatusRule.Name, 1, FlagReason.STATUS_MISMATCH);
        Assert.Equal((PaymentStatus.PROCESSING, PaymentStatus.COMPLETED), (flag.OttoStatus, flag.CoreStatus));

        h.Advance(TimeSpan.FromHours(2));
        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Requests.ReadValueList());
    }

    [Fact]
    public void A_payment_unknown_to_the_core_is_flagged_not_found()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromMinutes(10));

        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: false, null);

        Assert.Equal(FlagReason.NOT_FOUND_IN_CORE, Assert.Single(h.Flags.ReadValueList()).Reason);
    }

    [Fact]
    public void No_reply_retries_with_exponential_backoff_then_flags_no_core_reply()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, h.Requests.ReadKeyValue().Message.Value.Attempt);

        // Attempt 1 waits 1 min, attempt 2 waits 2 min, attempt 3 waits 4 min (sweeps every 10 s).
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("p1:StuckStatus:1:2", h.Requests.ReadKeyValue().Message.Key);
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(h.Requests.ReadValueList());
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, h.Requests.ReadKeyValue().Message.Value.Attempt);
        h.Advance(TimeSpan.FromMinutes(3));
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(TimeSpan.FromMinutes(1));
        var flag = Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(FlagReason.NO_CORE_REPLY, flag.Reason);
        Assert.Empty(h.Requests.ReadValueList());
        h.Advance(TimeSpan.FromHours(1));
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_reply_to_an_earlier_attempt_answers_the_open_question_and_the_later_reply_is_ignored()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var first = h.Requests.ReadKeyValue().Message.Value;
        h.Advance(TimeSpan.FromMinutes(1));
        var second = h.Requests.ReadKeyValue().Message.Value;

        h.Reply(first, found: true, PaymentStatus.PROCESSING);
        h.Reply(second, found: true, PaymentStatus.PROCESSING);
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Requests.ReadValueList());
        Assert.Null(h.Track("p1", StuckStatusRule.Name)!.Pending);
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void A_late_reply_from_a_previous_episode_is_counted_and_ignored()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromMinutes(10));
        var oldQuestion = h.Requests.ReadKeyValue().Message.Value;
        h.ChangeStatus("p1", PaymentStatus.PROCESSING);
        h.Advance(TimeSpan.FromMinutes(10));
        var newQuestion = h.Requests.ReadKeyValue().Message.Value;

        h.Reply(oldQuestion, found: true, PaymentStatus.COMPLETED);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
        Assert.Equal(newQuestion.CorrelationId, h.Track("p1", StuckStatusRule.Name)!.Pending!.CorrelationId);
    }

    [Fact]
    public void A_duplicate_reply_is_applied_once()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(10));
        var request = h.Requests.ReadKeyValue().Message.Value;

        h.Reply(request, found: true, PaymentStatus.COMPLETED);
        h.Reply(request, found: true, PaymentStatus.COMPLETED);

        Assert.Single(h.Flags.ReadValueList());
        Assert.Equal(1, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void A_reply_with_an_unknown_correlation_id_finds_no_request_and_changes_nothing()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");
        h.Reply(new GetTrnRq { CorrelationId = "p1:StuckStatus:9:9", PaymentId = "p1", Rule = "StuckStatus", Attempt = 9, RequestedAt = h.Now },
            found: true, PaymentStatus.COMPLETED);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(0, h.State("p1")!.RepliesIgnored);
    }

    [Fact]
    public void A_status_change_starts_a_new_episode_that_can_be_flagged_again()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromMinutes(10));
        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: true, PaymentStatus.PROCESSING);
        Assert.Single(h.Flags.ReadValueList());

        h.ChangeStatus("p1", PaymentStatus.PROCESSING);
        h.SingleCleared("p1", StuckStatusRule.Name, 1, FlagReason.STATUS_MISMATCH);
        h.Advance(TimeSpan.FromMinutes(10));
        var request = h.Requests.ReadKeyValue().Message.Value;
        Assert.Equal("p1:StuckStatus:2:1", request.CorrelationId);
        h.Reply(request, found: true, PaymentStatus.FAILED);

        Assert.Equal("p1:StuckStatus:2", Assert.Single(h.Flags.ReadValueList()).FlagId);
    }

    [Fact]
    public void A_flag_is_cleared_with_the_same_flag_id_when_the_payment_reaches_a_terminal_status()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromMinutes(10));
        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: false, null);
        Assert.Equal("p1:StuckStatus:1", Assert.Single(h.Flags.ReadValueList()).FlagId);

        h.ChangeStatus("p1", PaymentStatus.COMPLETED);

        var cleared = Assert.Single(h.Cleared.ReadValueList());
        Assert.Equal(("p1:StuckStatus:1", "StuckStatus", FlagReason.NOT_FOUND_IN_CORE), (cleared.FlagId, cleared.Rule, cleared.Reason));
        Assert.Empty(h.OpenFlags("p1"));
        Assert.Equal(RulePhase.QUIET, h.Track("p1", StuckStatusRule.Name)!.Phase);
    }

    [Fact]
    public void A_redelivered_status_fact_does_not_restart_the_SLA_or_ask_again()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, eventId: "evt-processing");
        h.Advance(TimeSpan.FromMinutes(10));
        h.Reply(h.Requests.ReadKeyValue().Message.Value, found: true, PaymentStatus.COMPLETED);
        Assert.Single(h.Flags.ReadValueList());

        h.ChangeStatus("p1", PaymentStatus.PROCESSING, eventId: "evt-processing");
        h.Advance(TimeSpan.FromHours(1));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal(PaymentsHarness.T0, h.State("p1")!.StatusSince);
        Assert.Equal(2, h.State("p1")!.Statuses.Count);
    }

    [Fact]
    public void A_late_older_status_is_stale_and_the_SLA_runs_from_the_newest_status()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.ADDED);
        h.Advance(TimeSpan.FromMinutes(5));
        h.ChangeStatus("p1", PaymentStatus.PROCESSING);
        h.Advance(TimeSpan.FromMinutes(1));
        h.ChangeStatus("p1", PaymentStatus.PENDING, at: PaymentsHarness.T0 + TimeSpan.FromMinutes(2)); // CPR's PENDING, late

        var state = h.State("p1")!;
        Assert.Equal((PaymentStatus.PROCESSING, PaymentsHarness.T0 + TimeSpan.FromMinutes(5)), (state.Status, state.StatusSince));
        Assert.Null(state.Regression);
        Assert.Equal("stale", state.History[^1].Outcome);
        Assert.Equal([PaymentStatus.ADDED, PaymentStatus.PENDING, PaymentStatus.PROCESSING], state.Statuses.Select(s => s.Status));

        h.Advance(TimeSpan.FromMinutes(8)); // PROCESSING for 9 minutes
        Assert.Empty(h.Requests.ReadValueList());
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
    }

    [Fact]
    public void Statuses_arriving_before_PaymentAdded_give_the_same_question_as_in_order()
    {
        using var inOrder = new PaymentsHarness(StuckStatusRule.Name);
        using var reversed = new PaymentsHarness(StuckStatusRule.Name);
        var pending = PaymentsHarness.T0 + TimeSpan.FromMinutes(1);
        inOrder.AddPayment("p1", PaymentStatus.ADDED, eventId: "a");
        inOrder.ChangeStatus("p1", PaymentStatus.PENDING, eventId: "s", at: pending);
        reversed.ChangeStatus("p1", PaymentStatus.PENDING, eventId: "s", at: pending);
        reversed.AddPayment("p1", PaymentStatus.ADDED, eventId: "a", at: PaymentsHarness.T0);

        foreach (var h in new[] { inOrder, reversed })
        {
            h.Advance(TimeSpan.FromMinutes(10));
            Assert.Empty(h.Requests.ReadValueList());
            h.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
            Assert.Equal((PaymentStatus.PENDING, pending), (h.State("p1")!.Status, h.State("p1")!.StatusSince));
        }
    }
}
