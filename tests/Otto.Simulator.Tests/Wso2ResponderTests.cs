using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Simulator.Tests;

public class Wso2ResponderTests
{
    private static GetTrnRq Request(string paymentId, int attempt = 1) => new()
    {
        CorrelationId = RuleRunner.CorrelationId(paymentId, StuckStatusRule.Name, 3, attempt),
        PaymentId = paymentId,
        Rule = StuckStatusRule.Name,
        Attempt = attempt,
        RequestedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task Answers_from_the_ledger_keyed_by_correlation_id_but_never_for_a_silent_core_or_another_run()
    {
        // One request partition: once the last request is answered, every earlier one was handled.
        using var kafka = new SimCluster(partitionsByTopic: new Dictionary<string, int> { [new Otto.Payments.PaymentTopics("simtest").GetTrnRq] = 1 });
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 30, anomalyRate: 0.5) with { PoisonRecords = 0 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");
        SimulatedPayment Of(PaymentKind kind) => sim.Payments.First(p => p.Kind == kind);

        var silent = Request(Of(PaymentKind.CoreSilent).PaymentId);
        var otherRun = Request("zz9-000001");
        var mismatch = Request(Of(PaymentKind.StuckMismatch).PaymentId);
        var missing = Request(Of(PaymentKind.MissingInCore).PaymentId, attempt: 2);
        var slow = Request(Of(PaymentKind.SlowButConsistent).PaymentId);
        var normal = Request(Of(PaymentKind.Normal).PaymentId);
        foreach (var rq in new[] { silent, otherRun, mismatch, missing, slow, normal })
            kafka.Produce(kafka.Topics.GetTrnRq, rq.CorrelationId, rq);

        await Eventually.True(() => sim.RepliesSent == 4, Eventually.DefaultTimeout, "four replies");
        Assert.Equal(5, sim.RequestsSeen);

        var replies = kafka.ReadAll(kafka.Topics.GetTrnRs).ToDictionary(r => r.Message.Key, r => kafka.Read<GetTrnRs>(r));
        Assert.Equal(4, replies.Count);
        Assert.All(replies, r => Assert.Equal(r.Key, r.Value.CorrelationId));

        Assert.True(replies[mismatch.CorrelationId].Found);
        Assert.Equal(PaymentStatus.COMPLETED, replies[mismatch.CorrelationId].CoreStatus);
        Assert.Equal(Of(PaymentKind.StuckMismatch).Amount, replies[mismatch.CorrelationId].CoreAmount);
        Assert.False(replies[missing.CorrelationId].Found);
        Assert.Null(replies[missing.CorrelationId].CoreStatus);
        Assert.Equal(PaymentStatus.PROCESSING, replies[slow.CorrelationId].CoreStatus);
        Assert.Equal(PaymentStatus.COMPLETED, replies[normal.CorrelationId].CoreStatus);
        Assert.DoesNotContain(silent.CorrelationId, replies.Keys);
        Assert.DoesNotContain(otherRun.CorrelationId, replies.Keys);
    }

    [Fact]
    public async Task Two_runs_on_one_cluster_each_answer_only_their_own_payments()
    {
        using var kafka = new SimCluster();
        var options = SimCluster.Options(payments: 10, anomalyRate: 0) with { PoisonRecords = 0 };
        await using var a = kafka.Simulation(options with { RunId = "runa" });
        await using var b = kafka.Simulation(options with { RunId = "runb" });
        await a.StartAsync();
        await b.StartAsync();
        await Eventually.Within(Task.WhenAll(a.PublishingCompleted, b.PublishingCompleted), Eventually.DefaultTimeout, "publishing");

        var rqA = Request(a.Payments[0].PaymentId);
        var rqB = Request(b.Payments[0].PaymentId);
        kafka.Produce(kafka.Topics.GetTrnRq, rqA.CorrelationId, rqA);
        kafka.Produce(kafka.Topics.GetTrnRq, rqB.CorrelationId, rqB);

        await Eventually.True(() => a.RepliesSent == 1 && b.RepliesSent == 1, Eventually.DefaultTimeout, "one reply from each run");
        var replies = kafka.ReadAll(kafka.Topics.GetTrnRs).Select(r => r.Message.Key).Order().ToList();
        Assert.Equal(new[] { rqA.CorrelationId, rqB.CorrelationId }.Order(), replies);
        Assert.Equal(1, a.RequestsSeen);
        Assert.Equal(1, b.RequestsSeen);
    }
}
