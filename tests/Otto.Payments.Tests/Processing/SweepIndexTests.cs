using Otto.Contracts;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Payments.Processing;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Processing;

/// <summary>The sweep index holds exactly the payments time can still change, keyed by when; the sweep reads those.</summary>
public class SweepIndexTests
{
    private static List<KeyValuePair<string, SweepDue>> Index(PaymentsHarness h) =>
        [.. h.Driver.GetKeyValueStore<string, SweepDue>(PaymentProcessor.SweepStoreName).All()];

    [Fact]
    public void A_payment_is_indexed_at_its_earliest_SLA_and_leaves_the_index_when_time_can_change_nothing()
    {
        using var h = new PaymentsHarness();
        h.AddPayment("p1"); // StuckStatus 10 min (harness), MissingCoreTransaction 5 min (default)

        var entry = Assert.Single(Index(h));
        Assert.Equal(PaymentsHarness.T0 + MissingCoreTransactionRule.DefaultSla, entry.Value.DueAt);
        Assert.Equal($"{entry.Value.DueAt.ToUnixTimeMilliseconds():D13}|p1", entry.Key);
        Assert.Equal(entry.Value.DueAt, h.State("p1")!.SweepDueAt);

        h.BookInCore("p1");
        Assert.Equal(PaymentsHarness.T0 + TimeSpan.FromMinutes(10), Assert.Single(Index(h)).Value.DueAt);

        h.ChangeStatus("p1", PaymentStatus.COMPLETED);
        h.Settle("p1", "s1", 125.50m);
        Assert.Empty(Index(h));
        Assert.Null(h.State("p1")!.SweepDueAt);
    }

    [Fact]
    public void Only_open_payments_are_indexed_and_a_question_in_flight_is_due_at_its_deadline()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name, LimitsNotRestoredRule.Name);
        for (var i = 0; i < 50; i++) h.AddPayment($"done-{i}", PaymentStatus.COMPLETED);
        h.AddPayment("failed", PaymentStatus.FAILED);
        h.Limits("failed", LimitsAction.CONSUMED);
        h.AddPayment("open");
        Assert.Equal(["failed", "open"], Index(h).Select(e => e.Value.PaymentId).Order());

        h.Advance(TimeSpan.FromMinutes(10));
        var request = h.Requests.ReadKeyValue().Message.Value;
        Assert.Equal("open", request.PaymentId);
        var due = Index(h).Single(e => e.Value.PaymentId == "open").Value.DueAt;
        Assert.Equal(request.RequestedAt + h.Options.ReplyTimeout, due);

        h.Reply(request, found: true, PaymentStatus.PROCESSING); // the core confirms: nothing left to wait for
        Assert.DoesNotContain(Index(h), e => e.Value.PaymentId == "open");
    }
}
