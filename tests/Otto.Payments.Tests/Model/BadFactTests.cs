using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Contracts.Wso2;
using Otto.Payments.Model;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Model;

/// <summary>Schema-valid nonsense, handled deliberately (README, "Bad facts").</summary>
[Collection(MetricsCollection.Name)]
public class BadFactTests
{
    [Theory]
    [InlineData("PaymentAdded", "0")]
    [InlineData("PaymentAdded", "-125.50")]
    [InlineData("TrnAdded", "0")]
    [InlineData("TrnAdded", "-1")]
    [InlineData("PaymentSettled.settledAmount", "0")]
    [InlineData("PaymentSettled.paymentAmount", "-0.01")]
    [InlineData("LimitsUpdated", "0")]
    [InlineData("LimitsUpdated", "-3")]
    public void A_non_positive_amount_on_any_fact_is_rejected_with_a_clear_message_and_the_model_is_unchanged(string fact, string amountText)
    {
        var amount = decimal.Parse(amountText, System.Globalization.CultureInfo.InvariantCulture);
        using var h = new PaymentsHarness();
        h.AddPayment("p1");
        var before = h.State("p1")!.History.Count;

        Action send = fact switch
        {
            "PaymentAdded" => () => h.AddPayment("p1", eventId: "bad", amount: amount),
            "TrnAdded" => () => h.BookInCore("p1", amount: amount, eventId: "bad"),
            "PaymentSettled.settledAmount" => () => h.Settle("p1", "s1", amount, eventId: "bad"),
            "PaymentSettled.paymentAmount" => () => h.Settle("p1", "s1", 10m, paymentAmount: amount, eventId: "bad"),
            _ => () => h.Limits("p1", LimitsAction.CONSUMED, amount, "bad"),
        };
        var rejected = h.Rejects(send);

        Assert.Matches($@"^{fact.Split('.')[0]} bad: .*{System.Text.RegularExpressions.Regex.Escape(amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))} is not positive\.$",
            rejected.Message);
        Assert.Equal(before, h.State("p1")!.History.Count);
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void A_payment_without_a_currency_is_rejected()
    {
        using var h = new PaymentsHarness();
        var rejected = h.Rejects(() => h.Send(h.Topics.PaymentAdded, "p1", new PaymentAdded
        {
            EventId = "bad", PaymentId = "p1", OccurredAt = h.Now, Rail = PaymentRail.SEPA,
            DebtorAccount = "DE01", CreditorAccount = "DE02", Amount = 10m, Currency = " ", Status = PaymentStatus.ADDED,
        }));

        Assert.Equal("PaymentAdded bad: no currency.", rejected.Message);
        Assert.Null(h.State("p1"));
    }

    [Fact]
    public void A_fact_keyed_by_another_payment_id_is_rejected_and_touches_neither_payment()
    {
        using var h = new PaymentsHarness();
        h.AddPayment("p1");

        var rejected = h.Rejects(() => h.Send(h.Topics.PaymentStatusChanged, "p2",
            new PaymentStatusChanged { EventId = "bad", PaymentId = "p1", OccurredAt = h.Now, Status = PaymentStatus.FAILED }));

        Assert.Equal("PaymentStatusChanged bad is keyed 'p2' but is about payment 'p1'.", rejected.Message);
        Assert.Null(h.State("p2"));
        Assert.Equal(PaymentStatus.PROCESSING, h.State("p1")!.Status);
    }

    [Fact]
    public void A_reply_to_a_request_for_a_payment_without_a_model_is_counted_and_dropped()
    {
        using var metrics = new MetricsRecorder();
        using var h = new PaymentsHarness();
        var request = h.Send(h.Topics.GetTrnRq, "px:StuckStatus:1:1",
            new GetTrnRq { CorrelationId = "px:StuckStatus:1:1", PaymentId = "px", Rule = StuckStatusRule.Name, Attempt = 1, RequestedAt = h.Now });

        h.Reply(request, found: true, PaymentStatus.COMPLETED);

        Assert.Null(h.State("px"));
        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(1, metrics.Sum("otto.payments.replies.unknown", ("type", "GetTrnRs"), ("reason", "no-payment")));
    }

    [Fact]
    public void A_reply_with_an_unknown_correlation_id_is_dropped_by_the_join_and_counted()
    {
        using var metrics = new MetricsRecorder();
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.AddPayment("p1");

        h.Reply(new GetTrnRq { CorrelationId = "p1:StuckStatus:9:9", PaymentId = "p1", Rule = StuckStatusRule.Name, Attempt = 9, RequestedAt = h.Now },
            found: true, PaymentStatus.COMPLETED);
        h.FixReply("p1:AmountMismatch:3", applied: false);

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Equal(0, h.State("p1")!.RepliesIgnored);
        Assert.DoesNotContain(h.State("p1")!.History, e => e.Source == "OTTO");
        Assert.Equal(1, metrics.Sum("otto.payments.replies.unknown", ("type", "GetTrnRs"), ("reason", "no-request")));
        Assert.Equal(1, metrics.Sum("otto.payments.replies.unknown", ("type", "FixPaymentRs"), ("reason", "no-request")));
    }

    [Fact]
    public void Facts_of_a_payment_never_added_are_kept_but_no_rule_fires_until_PaymentAdded_arrives()
    {
        using var h = new PaymentsHarness(StatusRegressionRule.Name, SettlementBalanceRule.Name, StuckStatusRule.Name,
            LimitsNotRestoredRule.Name, MissingSettlementRule.Name, MissingCoreTransactionRule.Name);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, "s1", PaymentsHarness.T0);
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, "s2", PaymentsHarness.T0 + TimeSpan.FromMinutes(1));
        h.Settle("p1", "set-1", 500m);
        h.BookInCore("p1");

        h.Advance(TimeSpan.FromHours(2));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Requests.ReadValueList());
        var state = h.State("p1")!;
        Assert.False(state.Added);
        Assert.Equal((PaymentStatus.COMPLETED, PaymentStatus.PROCESSING), (state.Status, state.Regression!.To));
        Assert.Empty(state.Rules);

        h.AddPayment("p1", PaymentStatus.PENDING, at: PaymentsHarness.T0 - TimeSpan.FromMinutes(1));

        Assert.Equal([SettlementBalanceRule.Name, StatusRegressionRule.Name], h.Flags.ReadValueList().Select(f => f.Rule).Order());
        Assert.True(h.State("p1")!.Added);
    }
}
