using Otto.Contracts;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests;

public class FactTests
{
    [Fact]
    public void A_duplicate_fact_changes_nothing_and_sends_no_second_request()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1", eventId: "evt-a");
        h.Advance(TimeSpan.FromMinutes(5));
        h.AddPayment("p1", eventId: "evt-a");
        var stateAfterDuplicate = h.State("p1")!;

        h.Advance(TimeSpan.FromMinutes(5));

        Assert.Single(h.Requests.ReadRecordsToList());
        Assert.Equal(["evt-a"], stateAfterDuplicate.History.Select(e => e.EventId));
        Assert.Equal(1, h.Track("p1", StuckStatusRule.Name)!.Episode);
    }

    [Fact]
    public void A_status_fact_older_than_the_current_status_does_not_move_it_back()
    {
        using var h = new PaymentsHarness();
        h.AddPayment("p1", PaymentStatus.PENDING);
        h.Advance(TimeSpan.FromMinutes(1));
        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.StatusChanged.PipeInput("p1", new Otto.Contracts.Cpr.PaymentStatusChanged
        {
            EventId = h.NextEventId(),
            PaymentId = "p1",
            OccurredAt = PaymentsHarness.T0,
            Status = PaymentStatus.PROCESSING,
        });

        Assert.Equal(PaymentStatus.COMPLETED, h.State("p1")!.Status);
    }

    [Fact]
    public void Facts_fold_into_the_payment_store_which_is_changelogged()
    {
        using var h = new PaymentsHarness();
        h.AddPayment("p1");

        var state = h.State("p1")!;
        Assert.True(state.Added);
        Assert.Equal(125.50m, state.Amount);
        Assert.Equal(PaymentRail.SEPA, state.Rail);
        var changelog = h.Driver.CreateOutputTopic("otto-test-payments-changelog", h.SerDes.Key, h.SerDes.Value<Otto.Contracts.Otto.PaymentState>());
        Assert.Equal("p1", Assert.Single(changelog.ReadRecordsToList()).Key);
    }
}
