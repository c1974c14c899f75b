using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Simulator.Tests;

public class FlagWatcherTests
{
    internal static PaymentFlagged Flag(SimulatedPayment payment, FlagReason? reason = null) => new()
    {
        FlagId = $"{payment.PaymentId}:StuckStatus:3",
        PaymentId = payment.PaymentId,
        Rule = "StuckStatus",
        Reason = reason ?? payment.Kind.ExpectedReason() ?? FlagReason.STATUS_MISMATCH,
        Detail = "by hand",
        OttoStatus = payment.Lifecycle[^1],
        RaisedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task The_report_counts_missed_anomalies_and_flags_of_payments_that_were_not_injected()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 20, anomalyRate: 0.3) with { PoisonRecords = 0 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, "publishing");

        var injected = sim.Payments.Where(p => p.Kind.IsAnomaly()).ToList();
        var consistent = sim.Payments.First(p => p.Kind == PaymentKind.SlowButConsistent);
        var flagged = injected.Skip(1).ToList();
        foreach (var payment in flagged) kafka.Produce(kafka.Topics.PaymentFlagged, payment.PaymentId, Flag(payment));
        kafka.Produce(kafka.Topics.PaymentFlagged, flagged[0].PaymentId, Flag(flagged[0])); // a repeat counts once
        kafka.Produce(kafka.Topics.PaymentFlagged, consistent.PaymentId, Flag(consistent)); // false positive
        var stranger = new SimulatedPayment(1, "other-000001", PaymentKind.StuckMismatch, PaymentRail.SEPA, "a", "b", 1m, "EUR");
        kafka.Produce(kafka.Topics.PaymentFlagged, stranger.PaymentId, Flag(stranger)); // another run's: ignored

        var records = flagged.Count + 2;
        await Eventually.Until(() => sim.FlagRecordsSeen == records, $"{records} flag records of the run");
        var report = sim.Report();

        Assert.Equal(injected.Count, report.Injected);
        Assert.Equal(flagged.Count + 1, report.Flags);
        Assert.Equal(1, report.Missed);
        Assert.Equal(1, report.False);
        Assert.Equal(sim.Payments.Count, report.Payments);
        Assert.Equal($"simulate: injected={injected.Count} flagged={flagged.Count + 1} missed=1 false=1", report.ToString());
        Assert.Equal(FlagReason.STATUS_MISMATCH, sim.FlaggedPayments[consistent.PaymentId]);
        Assert.DoesNotContain(stranger.PaymentId, sim.FlaggedPayments.Keys);
    }

    [Fact]
    public async Task Dead_letters_of_the_run_are_counted_and_others_are_not()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 5) with { PoisonRecords = 1 });
        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, "publishing");

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

        await Eventually.Until(() => sim.DeadLettered == 2, "two dead letters of the run");
        Assert.Equal(2, sim.Report().DeadLettered);
    }
}
