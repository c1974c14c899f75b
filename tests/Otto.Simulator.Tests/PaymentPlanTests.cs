using Otto.Contracts;
using Otto.Contracts.Limits;
using Otto.Contracts.Reference;
using Otto.Payments.Rules;

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
    public void The_anomaly_share_is_the_anomaly_rate_dealt_over_every_anomaly_kind(int payments, double rate)
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = payments, AnomalyRate = rate });

        var anomalies = plan.Where(p => p.Kind.IsAnomaly()).ToList();
        Assert.InRange(anomalies.Count, payments * rate - 1, payments * rate + 1);
        var perKind = PaymentKinds.Anomalies.Select(k => anomalies.Count(p => p.Kind == k)).ToList();
        Assert.True(perKind.Max() - perKind.Min() <= 1, $"anomalies per kind: {string.Join(",", perKind)}");
        Assert.All(PaymentKinds.Benign, kind => Assert.Contains(plan, p => p.Kind == kind));
        Assert.Contains(plan, p => p.Kind == PaymentKind.Normal);
    }

    [Fact]
    public void Every_rule_has_an_anomaly_kind_that_must_trip_it_and_benign_kinds_trip_none()
    {
        var rules = PaymentKinds.Anomalies.SelectMany(k => k.Expected()).Select(e => e.Rule).Distinct().Order();

        Assert.Equal(PaymentRules.Names.Order(), rules);
        Assert.All(PaymentKinds.Benign.Append(PaymentKind.Normal), k => Assert.Empty(k.Expected()));
        Assert.All(PaymentKinds.Anomalies, k => Assert.True(k.IsAnomaly()));
    }

    [Fact]
    public void Payment_ids_carry_the_run_id_and_amounts_are_unique_with_two_decimals()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 500, RunId = "r42" });

        Assert.Equal("r42-000001", plan[0].PaymentId);
        Assert.All(plan, p => Assert.StartsWith("r42-", p.PaymentId));
        Assert.Equal(500, plan.Select(p => p.PaymentId).Distinct().Count());
        Assert.All(plan, p => Assert.Equal(p.Amount, decimal.Round(p.Amount, 2)));
        Assert.All(plan, p => Assert.True(p.Amount > 0));
        // Only a duplicate shares its amount (with its original): nothing else can look like a duplicate.
        Assert.Equal(500 - plan.Count(p => p.Kind == PaymentKind.DuplicatePayment), plan.Select(p => p.Amount).Distinct().Count());
        Assert.Equal(["r42-000501", "r42-000502"], PaymentPlan.PoisonKeys(new SimulatorOptions { Payments = 500, RunId = "r42" }));
    }

    [Fact]
    public void A_duplicate_repeats_an_earlier_normal_payment_s_details()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 300, AnomalyRate = 0.3 });

        var duplicates = plan.Where(p => p.Kind == PaymentKind.DuplicatePayment).ToList();
        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d =>
        {
            var original = plan.Single(p => p.PaymentId == d.DuplicateOf);
            Assert.Equal(PaymentKind.Normal, original.Kind);
            Assert.True(original.Index < d.Index);
            Assert.Equal((original.DebtorAccount, original.CreditorAccount, original.Amount, original.Currency), (d.DebtorAccount, d.CreditorAccount, d.Amount, d.Currency));
        });
        Assert.Equal(duplicates.Count, duplicates.Select(d => d.DuplicateOf).Distinct().Count());
    }

    [Fact]
    public void A_duplicate_drawn_first_trades_places_with_a_normal_payment()
    {
        // With every payment but a few anomalous, some seed puts a duplicate before any normal payment.
        var plans = Enumerable.Range(1, 50).Select(seed => PaymentPlan.Draw(new SimulatorOptions { Payments = 12, AnomalyRate = 11 / 12.0, Seed = seed }));

        Assert.All(plans, plan =>
        {
            Assert.NotEqual(PaymentKind.DuplicatePayment, plan[0].Kind);
            Assert.Single(plan, p => p.Kind == PaymentKind.DuplicatePayment);
            Assert.All(plan.Where(p => p.Kind == PaymentKind.DuplicatePayment), d => Assert.NotNull(d.DuplicateOf));
        });
    }

    [Fact]
    public void Reference_data_lists_every_debtor_account_once_closed_only_for_account_not_active()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 200, AnomalyRate = 0.3 });

        var accounts = PaymentPlan.Accounts(plan);

        Assert.Equal(plan.Select(p => p.DebtorAccount).Distinct().Order(), accounts.Select(a => a.AccountId).Order());
        Assert.Equal(plan.Where(p => p.Kind == PaymentKind.AccountNotActive).Select(p => p.DebtorAccount).Order(),
            accounts.Where(a => a.Status == AccountStatus.CLOSED).Select(a => a.AccountId).Order());
    }

    [Fact]
    public void Scripts_give_each_kind_what_its_rules_look_at()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 300, AnomalyRate = 0.5 });
        SimulatedPayment Of(PaymentKind kind) => plan.First(p => p.Kind == kind);
        decimal Settled(SimulatedPayment p) => p.Script.OfType<FactStep.Settled>().Sum(s => s.Amount);
        int Limits(SimulatedPayment p, LimitsAction action) => p.Script.OfType<FactStep.Limits>().Count(l => l.Action == action);

        var normal = Of(PaymentKind.Normal);
        Assert.Equal([PaymentStatus.ADDED, PaymentStatus.PENDING, PaymentStatus.PROCESSING, PaymentStatus.COMPLETED], normal.Lifecycle);
        Assert.Equal(normal.Amount, Settled(normal));
        Assert.Equal(normal.Amount, normal.Script.OfType<FactStep.TrnAdded>().Single().Amount);
        Assert.Contains(plan, p => p.Kind == PaymentKind.Normal && p.Script.OfType<FactStep.Settled>().Count() == 2 && Settled(p) == p.Amount);

        Assert.Equal(PaymentStatus.PROCESSING, Of(PaymentKind.SlowButConsistent).Lifecycle[^1]);
        Assert.Equal(PaymentStatus.PROCESSING, Of(PaymentKind.StuckMismatch).Lifecycle[^1]);
        Assert.Equal(PaymentStatus.PROCESSING, Of(PaymentKind.CoreSilent).Lifecycle[^1]);
        Assert.Equal(PaymentStatus.PENDING, Of(PaymentKind.MissingInCore).Lifecycle[^1]);
        Assert.Empty(Of(PaymentKind.MissingInCore).Script.OfType<FactStep.TrnAdded>());
        Assert.Equal(Of(PaymentKind.AmountMismatch).Amount + PaymentScripts.AmountMismatchDelta, Of(PaymentKind.AmountMismatch).Script.OfType<FactStep.TrnAdded>().Single().Amount);
        Assert.Equal(0m, Settled(Of(PaymentKind.MissingSettlement)));
        Assert.True(Settled(Of(PaymentKind.UnderSettled)) < Of(PaymentKind.UnderSettled).Amount);
        Assert.True(Settled(Of(PaymentKind.OverSettled)) > Of(PaymentKind.OverSettled).Amount);
        Assert.Equal([PaymentStatus.COMPLETED, PaymentStatus.PROCESSING], Of(PaymentKind.StatusRegression).Lifecycle.TakeLast(2));
        Assert.Equal((1, 0), (Limits(Of(PaymentKind.LimitsNotRestored), LimitsAction.CONSUMED), Limits(Of(PaymentKind.LimitsNotRestored), LimitsAction.RESTORED)));
        Assert.Equal((1, 1), (Limits(Of(PaymentKind.FailedRestored), LimitsAction.CONSUMED), Limits(Of(PaymentKind.FailedRestored), LimitsAction.RESTORED)));
        Assert.Equal(PaymentStatus.FAILED, Of(PaymentKind.FailedRestored).Lifecycle[^1]);
        Assert.Equal(PaymentStatus.CANCELLED, Of(PaymentKind.Cancelled).Lifecycle[^1]);
        Assert.Equal((1, 1), (Limits(Of(PaymentKind.Cancelled), LimitsAction.CONSUMED), Limits(Of(PaymentKind.Cancelled), LimitsAction.RESTORED)));
        Assert.All(plan, p => Assert.IsType<FactStep.Added>(p.Script[0]));
    }

    [Fact]
    public void The_duplicate_share_is_close_to_the_duplicate_rate()
    {
        var plan = PaymentPlan.Draw(new SimulatorOptions { Payments = 2000, DuplicateRate = 0.05 });

        var facts = plan.Sum(p => p.Script.Count);
        var duplicates = plan.Sum(p => p.Records - p.Script.Count);
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
        Assert.Equal(Of(PaymentKind.AmountMismatch).Amount + PaymentScripts.AmountMismatchDelta, ledger.Answer(Of(PaymentKind.AmountMismatch).PaymentId)!.Amount);
        Assert.Null(ledger.Answer("other-000001"));

        // A consistent payment is, in the core, where CPR last put it.
        var normal = Of(PaymentKind.Normal);
        ledger.CprPublished(normal.PaymentId, PaymentStatus.PENDING);
        Assert.Equal(PaymentStatus.PENDING, ledger.Answer(normal.PaymentId)!.Status);
    }
}
