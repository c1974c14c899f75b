using Otto.Contracts;

namespace Otto.Simulator.Tests;

public class PaymentPlanTests
{
    [Fact]
    public void The_same_seed_draws_the_same_payments()
    {
        var options = new SimulatorOptions { Payments = 500, Seed = 7, RunId = "abc123" };

        var first = PaymentPlan.Draw(options);
        var second = PaymentPlan.Draw(options);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_seed_draws_other_kinds()
    {
        var a = PaymentPlan.Draw(new SimulatorOptions { Payments = 200, Seed = 1 }).Select(p => p.Kind);
        var b = PaymentPlan.Draw(new SimulatorOptions { Payments = 200, Seed = 2 }).Select(p => p.Kind);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(100, 0.2)]
    [InlineData(1000, 0.05)]
    [InlineData(37, 0.5)]
    public void The_anomaly_share_is_the_anomaly_rate_dealt_over_the_three_kinds(int payments, double rate)
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = payments, AnomalyRate = rate });

        var anomalies = plan.Where(p => p.Kind.IsAnomaly()).ToList();
        Assert.InRange(anomalies.Count, payments * rate - 1, payments * rate + 1);
        var perKind = PaymentKinds.Anomalies.Select(k => anomalies.Count(p => p.Kind == k)).ToList();
        Assert.True(perKind.Max() - perKind.Min() <= 1, $"anomalies per kind: {string.Join(",", perKind)}");
        Assert.Contains(plan, p => p.Kind == PaymentKind.SlowButConsistent);
        Assert.Contains(plan, p => p.Kind == PaymentKind.Normal);
    }

    [Fact]
    public void Payment_ids_carry_the_run_id_and_amounts_have_two_decimals()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 50, RunId = "r42" });

        Assert.Equal("r42-000001", plan[0].PaymentId);
        Assert.All(plan, p => Assert.StartsWith("r42-", p.PaymentId));
        Assert.Equal(50, plan.Select(p => p.PaymentId).Distinct().Count());
        Assert.All(plan, p => Assert.Equal(p.Amount, decimal.Round(p.Amount, 2)));
        Assert.All(plan, p => Assert.True(p.Amount > 0));
        Assert.Equal(["r42-000051", "r42-000052"], PaymentPlan.PoisonKeys(new SimulatorOptions { Payments = 50, RunId = "r42" }));
    }

    [Fact]
    public void Lifecycles_stop_where_each_kind_says()
    {
        Assert.Equal([PaymentStatus.ADDED, PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.COMPLETED], PaymentKind.Normal.CprLifecycle());
        Assert.Equal(PaymentStatus.PROCESSING, PaymentKind.SlowButConsistent.CprLifecycle()[^1]);
        Assert.Equal(PaymentStatus.PROCESSING, PaymentKind.StuckMismatch.CprLifecycle()[^1]);
        Assert.Equal(PaymentStatus.PENDING, PaymentKind.MissingInCore.CprLifecycle()[^1]);
        Assert.Equal(PaymentStatus.PROCESSING, PaymentKind.CoreSilent.CprLifecycle()[^1]);
    }

    [Fact]
    public void The_duplicate_share_is_close_to_the_duplicate_rate()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 2000, DuplicateRate = 0.05 });

        var facts = plan.Sum(p => p.Lifecycle.Count);
        var duplicates = plan.Sum(p => p.Records - p.Lifecycle.Count);
        Assert.InRange(duplicates / (double)facts, 0.04, 0.06);
    }

    [Fact]
    public void The_core_ledger_answers_per_kind()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 100, AnomalyRate = 0.5 });
        var ledger = new CoreLedger(plan);
        SimulatedPayment Of(PaymentKind kind) => plan.First(p => p.Kind == kind);

        Assert.Equal(new CoreAnswer(true, PaymentStatus.COMPLETED, Of(PaymentKind.StuckMismatch).Amount), ledger.Answer(Of(PaymentKind.StuckMismatch).PaymentId));
        Assert.Equal(new CoreAnswer(false, null, null), ledger.Answer(Of(PaymentKind.MissingInCore).PaymentId));
        Assert.Null(ledger.Answer(Of(PaymentKind.CoreSilent).PaymentId));
        Assert.Equal(PaymentStatus.PROCESSING, ledger.Answer(Of(PaymentKind.SlowButConsistent).PaymentId)!.Status);
        Assert.Null(ledger.Answer("other-000001"));

        // A consistent payment is, in the core, where CPR last put it.
        var normal = Of(PaymentKind.Normal);
        ledger.CprPublished(normal.PaymentId, PaymentStatus.PENDING);
        Assert.Equal(PaymentStatus.PENDING, ledger.Answer(normal.PaymentId)!.Status);
    }
}
