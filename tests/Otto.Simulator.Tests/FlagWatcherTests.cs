using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Simulator.Tests;

public class FlagWatcherTests
{
    /// <summary>The flag Otto should raise for <paramref name="payment"/> by its kind's first expected rule (or
    /// <paramref name="rule"/> / <paramref name="reason"/> given).</summary>
    internal static PaymentFlagged Flag(SimulatedPayment payment, string? rule = null, FlagReason? reason = null)
    {
        var expected = payment.Kind.Expected().FirstOrDefault();
        rule ??= expected?.Rule ?? StuckStatusRule.Name;
        return new PaymentFlagged
        {
            FlagId = RuleRunner.FlagId(payment.PaymentId, rule, 1),
            PaymentId = payment.PaymentId,
            Rule = rule,
            Reason = reason ?? payment.Kind.ExpectedReason(rule) ?? FlagReason.STATUS_MISMATCH,
            Detail = "by hand",
            OttoStatus = payment.Lifecycle[^1],
            RaisedAt = DateTimeOffset.UtcNow,
            Episode = 1,
        };
    }

    [Fact]
    public async Task The_report_counts_per_rule_missed_anomalies_and_flags_by_rules_a_payment_must_not_trip()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 40, anomalyRate: 0.5) with { PoisonRecords = 0 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");

        // Play Otto: flag every expected (payment, rule) but one, once more for a repeat, and two false flags.
        var expected = sim.Payments.SelectMany(p => p.Kind.Expected().Select(e => (Payment: p, e.Rule))).ToList();
        var missed = expected.First(e => e.Rule == MissingCoreTransactionRule.Name);
        var flagged = expected.Where(e => e != missed).ToList();
        foreach (var (payment, rule) in flagged) kafka.Produce(kafka.Topics.PaymentFlagged, payment.PaymentId, Flag(payment, rule));
        kafka.Produce(kafka.Topics.PaymentFlagged, flagged[0].Payment.PaymentId, Flag(flagged[0].Payment, flagged[0].Rule)); // a repeat counts once
        var slow = sim.Payments.First(p => p.Kind == PaymentKind.SlowButConsistent);
        kafka.Produce(kafka.Topics.PaymentFlagged, slow.PaymentId, Flag(slow, StuckStatusRule.Name)); // false: benign
        var mismatch = sim.Payments.First(p => p.Kind == PaymentKind.AmountMismatch);
        kafka.Produce(kafka.Topics.PaymentFlagged, mismatch.PaymentId, Flag(mismatch, MissingSettlementRule.Name, FlagReason.MISSING_SETTLEMENT)); // false: wrong rule
        var stranger = new SimulatedPayment(1, "other-000001", PaymentKind.StuckMismatch, PaymentRail.SEPA, "a", "b", 1m, "EUR");
        kafka.Produce(kafka.Topics.PaymentFlagged, stranger.PaymentId, Flag(stranger)); // another run's: ignored

        var records = flagged.Count + 3;
        await Eventually.True(() => sim.FlagRecordsSeen == records, Eventually.DefaultTimeout, $"{records} flag records of the run");
        var report = sim.Report();

        Assert.Equal(expected.Count, report.Injected);
        Assert.Equal(flagged.Count + 2, report.Flags);
        Assert.Equal((1, 2), (report.Missed + report.Pending, report.False)); // missed or pending: PendingFlagsTests tells which
        Assert.Equal(1, report.Rule(MissingCoreTransactionRule.Name).Missed + report.Rule(MissingCoreTransactionRule.Name).Pending);
        Assert.Equal(1, report.Rule(StuckStatusRule.Name).False);
        Assert.Equal(1, report.Rule(MissingSettlementRule.Name).False);
        Assert.Equal(0, report.Rule(AmountMismatchRule.Name).Missed + report.Rule(AmountMismatchRule.Name).False);
        Assert.Equal($"simulate: injected={expected.Count} flagged={flagged.Count + 2} missed={report.Missed} false=2 pending={report.Pending}", report.ToString());
        Assert.DoesNotContain(sim.Detected, d => d.PaymentId == stranger.PaymentId);
    }

    [Fact]
    public async Task A_fix_command_counts_as_a_detection_and_clearings_are_counted_per_rule()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 40, anomalyRate: 0.5) with { PoisonRecords = 0 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");
        var limits = sim.Payments.First(p => p.Kind == PaymentKind.LimitsNotRestored);
        var flagId = RuleRunner.FlagId(limits.PaymentId, LimitsNotRestoredRule.Name, 1);

        kafka.Produce(kafka.Topics.FixPaymentRq, flagId, new FixPaymentRq
        {
            IdempotencyKey = flagId, PaymentId = limits.PaymentId, Rule = LimitsNotRestoredRule.Name, Reason = FlagReason.LIMITS_NOT_RESTORED,
            Intent = FixIntent.RESTORE_LIMITS, TargetSystem = "LIMITS", Detail = "by hand", RequestedAt = DateTimeOffset.UtcNow,
        });
        var cleared = new PaymentFlagCleared
        {
            FlagId = flagId, PaymentId = limits.PaymentId, Rule = LimitsNotRestoredRule.Name, Reason = FlagReason.LIMITS_NOT_RESTORED,
            Detail = "restored", RaisedAt = DateTimeOffset.UtcNow, ClearedAt = DateTimeOffset.UtcNow,
        };
        kafka.Produce(kafka.Topics.PaymentFlagCleared, limits.PaymentId, cleared);
        kafka.Produce(kafka.Topics.PaymentFlagCleared, limits.PaymentId, cleared); // the same clearing again counts once

        await Eventually.True(() => sim.Report().Rule(LimitsNotRestoredRule.Name) is { Flagged: 1, Cleared: 1 }, Eventually.DefaultTimeout, "the fix and its clearing");
        Assert.Equal(new DetectedFlag(limits.PaymentId, LimitsNotRestoredRule.Name, FlagReason.LIMITS_NOT_RESTORED, ByFix: true), Assert.Single(sim.Detected));
        Assert.Equal(0, sim.Report().Rule(LimitsNotRestoredRule.Name).Missed);
    }

    [Fact]
    public async Task Dead_letters_of_the_run_are_counted_and_others_are_not()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 5) with { PoisonRecords = 1 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");

        // Play Otto: dead-letter this run's poison record and another run's record, as raw bytes with headers.
        using var producer = kafka.Producer();
        foreach (var key in new[] { sim.PoisonKeys[0], "other-000001", sim.Payments[0].PaymentId })
        {
            producer.Produce(kafka.Topics.DeadLetter, new Message<string, byte[]>
            {
                Key = key,
                Value = [0xFF, 1, 2],
                Headers = new Headers { { "otto.errors.topic", "x"u8.ToArray() } },
            });
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(10)));

        await Eventually.True(() => sim.DeadLettered == 2, Eventually.DefaultTimeout, "two dead letters of the run");
        Assert.Equal(2, sim.Report().DeadLettered);
    }
}
