using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Simulator.Tests;

public class FixResponderTests
{
    private static FixPaymentRq Fix(SimulatedPayment payment, string rule, FixIntent intent) => new()
    {
        IdempotencyKey = RuleRunner.FlagId(payment.PaymentId, rule, 1),
        PaymentId = payment.PaymentId,
        Rule = rule,
        Reason = payment.Kind.ExpectedReason(rule) ?? FlagReason.AMOUNT_MISMATCH,
        Intent = intent,
        TargetSystem = "LIMITS",
        Detail = "by hand",
        RequestedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_fix_is_applied_once_per_idempotency_key_and_a_repeat_is_only_acknowledged()
    {
        // One request partition: the responder sees the requests in the order they were sent.
        var rq = new Otto.Payments.PaymentTopics("simtest").FixPaymentRq;
        using var kafka = new SimCluster(partitionsByTopic: new Dictionary<string, int> { [rq] = 1 });
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 40, anomalyRate: 0.5) with { PoisonRecords = 0 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");
        var limitsBefore = kafka.Count(kafka.Topics.LimitsUpdated);
        var limits = sim.Payments.First(p => p.Kind == PaymentKind.LimitsNotRestored);
        var amount = sim.Payments.First(p => p.Kind == PaymentKind.AmountMismatch);

        var restore = Fix(limits, LimitsNotRestoredRule.Name, FixIntent.RESTORE_LIMITS);
        var correct = Fix(amount, AmountMismatchRule.Name, FixIntent.CORRECT_AMOUNT);
        kafka.Produce(kafka.Topics.FixPaymentRq, restore.IdempotencyKey, restore);
        kafka.Produce(kafka.Topics.FixPaymentRq, restore.IdempotencyKey, restore); // Otto re-sent it
        kafka.Produce(kafka.Topics.FixPaymentRq, correct.IdempotencyKey, correct);
        var otherRun = Fix(limits with { PaymentId = "other-000001" }, LimitsNotRestoredRule.Name, FixIntent.RESTORE_LIMITS);
        kafka.Produce(kafka.Topics.FixPaymentRq, otherRun.IdempotencyKey, otherRun);

        await Eventually.True(() => sim.FixesApplied == 2 && sim.FixesRepeated == 1, Eventually.DefaultTimeout, "two fixes applied, one repeat");
        await Eventually.True(() => kafka.Count(kafka.Topics.FixPaymentRs) == 3, Eventually.DefaultTimeout, "three replies");
        var replies = kafka.ReadAll(kafka.Topics.FixPaymentRs).Select(r => (r.Message.Key, Reply: kafka.Read<FixPaymentRs>(r))).ToList();
        Assert.All(replies, r => Assert.True(r.Reply.Applied));
        Assert.All(replies, r => Assert.Equal(r.Key, r.Reply.IdempotencyKey));
        Assert.Equal(2, replies.Count(r => r.Key == restore.IdempotencyKey));
        Assert.Contains("already applied", replies.Last(r => r.Key == restore.IdempotencyKey).Reply.Detail);

        // Applying RESTORE_LIMITS is what Limits would do: restore the payment's amount, once.
        await Eventually.True(() => kafka.Count(kafka.Topics.LimitsUpdated) == limitsBefore + 1, Eventually.DefaultTimeout, "one LimitsUpdated");
        var restored = kafka.ReadAll(kafka.Topics.LimitsUpdated).Select(kafka.Read<LimitsUpdated>).Single(l => l.EventId.Contains("/fix/"));
        Assert.Equal((limits.PaymentId, LimitsAction.RESTORED, limits.Amount, limits.DebtorAccount), (restored.PaymentId, restored.Action, restored.Amount, restored.AccountId));
    }
}
