using Otto.Contracts.Otto;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Streamiz.Kafka.Net.Mock;

namespace Otto.Payments.Tests.Processing;

/// <summary>The duplicate detector: PaymentAdded re-keyed by debtor, creditor, amount and currency; its candidates store and purge.</summary>
public class DuplicateDetectorTests
{
    private const string MatchKey = "DE01|DE02|125.50|EUR";

    private static TestOutputTopic<string, DuplicateSuspected> Findings(PaymentsHarness h) => h.Output<DuplicateSuspected>(h.Topics.DuplicateSuspected);

    private static DuplicateCandidates? Candidates(PaymentsHarness h, string matchKey = MatchKey) =>
        h.Driver.GetKeyValueStore<string, DuplicateCandidates>(DuplicateDetector.StoreName).Get(matchKey);

    [Fact]
    public void Two_ids_with_the_same_details_within_the_window_yield_one_finding_for_the_later()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(4));
        h.AddPayment("p2");

        var finding = Assert.Single(Findings(h).ReadKeyValueList());
        Assert.Equal("p2", finding.Message.Key);
        Assert.Equal(("p2", "p1", MatchKey, PaymentsHarness.T0, PaymentsHarness.T0 + TimeSpan.FromMinutes(4)),
            (finding.Message.Value.PaymentId, finding.Message.Value.DuplicateOf, finding.Message.Value.MatchKey, finding.Message.Value.EarlierAddedAt, finding.Message.Value.AddedAt));
        Assert.Equal(["p1", "p2"], Candidates(h)!.Payments.Select(p => p.PaymentId));
    }

    [Fact]
    public void The_later_payment_arriving_first_is_still_the_one_named()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.AddPayment("p2", at: PaymentsHarness.T0 + TimeSpan.FromMinutes(9));
        h.AddPayment("p1", at: PaymentsHarness.T0);

        var finding = Assert.Single(Findings(h).ReadValueList());
        Assert.Equal(("p2", "p1"), (finding.PaymentId, finding.DuplicateOf));
    }

    [Fact]
    public void The_window_is_inclusive_and_a_millisecond_more_is_outside()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.AddPayment("p1");
        h.AddPayment("p2", at: PaymentsHarness.T0 + TimeSpan.FromMinutes(10));
        h.AddPayment("p3", at: PaymentsHarness.T0 - TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1), debtor: "DE01");

        Assert.Equal([("p2", "p1")], Findings(h).ReadValueList().Select(f => (f.PaymentId, f.DuplicateOf)));
    }

    [Fact]
    public void The_same_payment_redelivered_yields_nothing()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.AddPayment("p1", eventId: "a1");
        h.AddPayment("p1", eventId: "a1");
        h.AddPayment("p1", eventId: "a1-resent");

        Assert.Empty(Findings(h).ReadValueList());
        Assert.Single(Candidates(h)!.Payments);
    }

    [Fact]
    public void The_purge_forgets_candidates_a_window_older_than_the_newest_payment()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.AddPayment("p1");
        h.Advance(TimeSpan.FromMinutes(11));
        h.AddPayment("p9", debtor: "DE09"); // moves the newest occurred-at past p1's window
        Assert.NotNull(Candidates(h));

        h.Advance(TimeSpan.FromMinutes(10)); // the purge runs every window

        Assert.Null(Candidates(h));
        Assert.NotNull(Candidates(h, "DE09|DE02|125.50|EUR"));
        h.AddPayment("p2", at: PaymentsHarness.T0 + TimeSpan.FromMinutes(5)); // would have matched p1
        Assert.Empty(Findings(h).ReadValueList());
    }

    [Fact]
    public void The_purge_before_any_payment_does_nothing()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);

        h.Advance(TimeSpan.FromMinutes(30)); // threw: the horizon was DateTimeOffset.MinValue minus the window

        h.AddPayment("p1");
        h.AddPayment("p2");
        Assert.Single(Findings(h).ReadValueList());
    }

    [Fact]
    public void A_payment_with_a_non_positive_amount_is_not_a_candidate()
    {
        using var h = new PaymentsHarness(DuplicatePaymentRule.Name);
        h.Rejects(() => h.AddPayment("p1", amount: -5m)); // the payment side rejects both (dead letters in a worker)
        h.Rejects(() => h.AddPayment("p2", amount: -5m));
        h.AddPayment("p3"); // a good one, so the re-keyed hop has surely been drained to the detector

        Assert.Empty(Findings(h).ReadValueList());
        Assert.Null(Candidates(h, "DE01|DE02|-5.00|EUR"));
        Assert.NotNull(Candidates(h, "DE01|DE02|125.50|EUR"));
    }
}
