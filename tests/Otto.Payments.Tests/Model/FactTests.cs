using Otto.Contracts;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Model;

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

        Assert.Single(h.Requests.ReadKeyValueList());
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
        h.Send(h.Topics.PaymentStatusChanged, "p1", new Otto.Contracts.Cpr.PaymentStatusChanged
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
        var changelog = h.Output<Otto.Contracts.Otto.PaymentState>("otto-test-payments-changelog");
        Assert.Equal("p1", Assert.Single(changelog.ReadKeyValueList()).Message.Key);
    }

    // One payment's facts per topic, each list in the order its topic delivers them. The times lie within the last
    // minute, so no SLA passes while they arrive; the result has a regression (COMPLETED after CANCELLED), an
    // amount mismatch, an over-settlement with a settlement re-sent under a new event id, and balanced limits.
    private static Action<PaymentsHarness>[][] TopicsOfFacts()
    {
        static DateTimeOffset At(PaymentsHarness h, int second) => h.Now - TimeSpan.FromSeconds(60 - second);
        return
        [
            [h => h.AddPayment("p1", PaymentStatus.PENDING, "a1", at: At(h, 0))],
            [h => h.ChangeStatus("p1", PaymentStatus.PROCESSING, "s1", At(h, 10)), h => h.ChangeStatus("p1", PaymentStatus.COMPLETED, "s2", At(h, 40))],
            [h => h.Cancel("p1", At(h, 30), "c1")],
            [h => h.BookInCore("p1", amount: 120m, eventId: "w1", at: At(h, 20))],
            [h => h.Settle("p1", "set-1", 60m, eventId: "r1", at: At(h, 50)), h => h.Settle("p1", "set-2", 70m, eventId: "r2", at: At(h, 55)),
                h => h.Settle("p1", "set-1", 60m, eventId: "r3", at: At(h, 58))],
            [h => h.Limits("p1", LimitsAction.CONSUMED, 125.50m, "l1", At(h, 10)), h => h.Limits("p1", LimitsAction.RESTORED, 125.50m, "l2", At(h, 50))],
        ];
    }

    private static IEnumerable<Action<PaymentsHarness>> Interleave(Action<PaymentsHarness>[][] topics, Random random)
    {
        var next = new int[topics.Length];
        while (true)
        {
            var open = Enumerable.Range(0, topics.Length).Where(t => next[t] < topics[t].Length).ToList();
            if (open.Count == 0) yield break;
            var topic = open[random.Next(open.Count)];
            yield return topics[topic][next[topic]++];
        }
    }

    private static string Model(PaymentState s) => string.Join("\n",
        $"added {s.Added} at {s.AddedAt:O}, {s.Amount} {s.Currency}",
        $"status {s.Status} since {s.StatusSince:O}",
        $"statuses {string.Join(", ", s.Statuses.Select(e => $"{e.EventId} {e.Status} {e.At:O} {(e.Applied ? "applied" : "skipped")}"))}",
        $"regression {s.Regression?.From} -> {s.Regression?.To} {s.Regression?.EventId}",
        $"core {s.Core?.TransactionId} {s.Core?.Amount} {s.Core?.Status} {s.Core?.At:O}, trnAddedAt {s.TrnAddedAt:O}",
        $"settlements {string.Join(", ", s.Settlements.Select(e => $"{e.SettlementId} {e.Amount} {e.At:O}"))}, recon {s.ReconAmount}",
        $"limits {s.Limits?.Consumed}/{s.Limits?.Restored} at {s.Limits?.At:O}",
        $"flags {string.Join(", ", s.Flags.OrderBy(f => f.FlagId, StringComparer.Ordinal).Select(f => $"{f.FlagId} {f.Reason} {(f.ClearedAt is null ? "open" : "cleared")}"))}",
        $"rules {string.Join(", ", s.Rules.OrderBy(r => r.Rule, StringComparer.Ordinal).Select(r => $"{r.Rule} {r.Episode} {r.Phase}"))}",
        $"history {string.Join(", ", s.History.Select(e => e.EventId).Order(StringComparer.Ordinal))}");

    [Fact]
    public void The_same_facts_in_any_interleaving_of_their_topics_give_the_same_model()
    {
        var models = new List<string>();
        for (var seed = 0; seed < 8; seed++)
        {
            using var h = new PaymentsHarness();
            h.Advance(TimeSpan.FromHours(1));
            var topics = TopicsOfFacts();
            var order = seed switch
            {
                0 => topics.SelectMany(t => t),             // topic by topic, PaymentAdded first
                1 => topics.Reverse().SelectMany(t => t),   // topic by topic, PaymentAdded last
                _ => Interleave(topics, new Random(seed)),
            };
            foreach (var fact in order) fact(h);
            models.Add(Model(h.State("p1")!));
        }

        Assert.Contains("status CANCELLED since", models[0]);
        Assert.Contains("regression CANCELLED -> COMPLETED s2", models[0]);
        Assert.Contains("p1:AmountMismatch:1 AMOUNT_MISMATCH open, p1:SettlementBalance:1 OVER_SETTLED open, p1:StatusRegression:1 STATUS_REGRESSION open", models[0]);
        Assert.Contains("limits 125.50/125.50", models[0]);
        Assert.All(models, model => Assert.Equal(models[0], model));
    }

    [Fact]
    public void A_payments_history_keeps_the_last_HistoryLength_events_and_statuses_stay_deduplicated_beyond_it()
    {
        using var h = new PaymentsHarness(o => o.HistoryLength = 4, StuckStatusRule.Name);
        h.AddPayment("p1", PaymentStatus.PENDING, eventId: "a1");
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, "s1");
        for (var i = 1; i <= 5; i++) h.Limits("p1", LimitsAction.CONSUMED, 1m, $"l{i}");

        Assert.Equal(["l2", "l3", "l4", "l5"], h.State("p1")!.History.Select(e => e.EventId));

        h.ChangeStatus("p1", PaymentStatus.PROCESSING, "s1"); // its event id left the history
        h.AddPayment("p1", PaymentStatus.PENDING, eventId: "a1");

        var state = h.State("p1")!;
        Assert.Equal(["l2", "l3", "l4", "l5"], state.History.Select(e => e.EventId));
        Assert.Equal(["a1", "s1"], state.Statuses.Select(s => s.EventId));
        Assert.Equal(5m, state.Limits!.Consumed);
    }
}
