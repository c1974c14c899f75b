using System.Text;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Streams.Avro;

namespace Otto.Simulator.Tests;

public class CprPublisherTests
{
    [Fact]
    public async Task Each_payment_gets_its_lifecycle_facts_and_duplicates_reuse_the_event_id()
    {
        using var kafka = new SimCluster();
        var options = SimCluster.Options(payments: 40, anomalyRate: 0.3) with { DuplicateRate = 0.2, PoisonRecords = 2 };
        await using var sim = kafka.Simulation(options);

        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, "publishing");

        var added = kafka.ReadAll(kafka.Topics.PaymentAdded);
        var changed = kafka.ReadAll(kafka.Topics.PaymentStatusChanged);
        var poison = added.Where(r => sim.PoisonKeys.Contains(r.Message.Key)).ToList();
        var facts = added.Except(poison)
            .Select(r => (r.Message.Key, EventId: kafka.Read<PaymentAdded>(r).EventId, Fact: (object)kafka.Read<PaymentAdded>(r)))
            .Concat(changed.Select(r => (r.Message.Key, EventId: kafka.Read<PaymentStatusChanged>(r).EventId, Fact: (object)kafka.Read<PaymentStatusChanged>(r))))
            .ToList();

        foreach (var payment in sim.Payments)
        {
            var mine = facts.Where(f => f.Key == payment.PaymentId).ToList();
            Assert.Equal(payment.Records, mine.Count);
            Assert.Equal(payment.Lifecycle.Count, mine.Select(f => f.EventId).Distinct().Count());
            var statuses = mine.DistinctBy(f => f.EventId)
                .Select(f => f.Fact switch { PaymentAdded a => a.Status, PaymentStatusChanged s => s.Status, _ => throw new InvalidOperationException() })
                .Order().ToList();
            Assert.Equal(payment.Lifecycle, statuses);
        }
        Assert.Contains(sim.Payments, p => p.Records > p.Lifecycle.Count);

        var first = kafka.Read<PaymentAdded>(added.First(r => r.Message.Key == sim.Payments[0].PaymentId));
        Assert.Equal(sim.Payments[0].Amount, first.Amount);
        Assert.Equal(sim.Payments[0].Rail, first.Rail);
        Assert.Equal(PaymentStatus.ADDED, first.Status);

        Assert.Equal(sim.PoisonKeys.Order(), poison.Select(r => r.Message.Key).Order());
        Assert.All(poison, r => Assert.Throws<AvroException>(() => kafka.Read<PaymentAdded>(r)));

        Assert.Equal(sim.Payments.Count, sim.PaymentsPublished);
        Assert.Equal(sim.Payments.Sum(p => p.Records), sim.EventsPublished);
        Assert.Equal(2, sim.PoisonPublished);
    }

    [Fact]
    public async Task A_payment_is_keyed_by_its_id_and_its_facts_occur_in_lifecycle_order()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 10) with { DuplicateRate = 0, PoisonRecords = 0 });

        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, "publishing");

        var added = kafka.ReadAll(kafka.Topics.PaymentAdded).ToDictionary(r => r.Message.Key, r => kafka.Read<PaymentAdded>(r));
        var changed = kafka.ReadAll(kafka.Topics.PaymentStatusChanged).Select(r => (r.Message.Key, Fact: kafka.Read<PaymentStatusChanged>(r))).ToList();
        foreach (var payment in sim.Payments)
        {
            Assert.Equal(payment.PaymentId, added[payment.PaymentId].PaymentId);
            var times = changed.Where(c => c.Key == payment.PaymentId).Select(c => c.Fact)
                .Prepend<object>(added[payment.PaymentId])
                .Select(f => f is PaymentAdded a ? a.OccurredAt : ((PaymentStatusChanged)f).OccurredAt)
                .ToList();
            // One partition per key keeps CPR's order; occurredAt strictly increases even when sent in the same millisecond.
            Assert.Equal(times.Order(), times);
            Assert.Equal(times.Count, times.Distinct().Count());
        }
        Assert.Equal(0, sim.DuplicatesPublished);
        Assert.All(kafka.ReadAll(kafka.Topics.PaymentAdded), r => Assert.NotEqual((byte)0xFF, r.Message.Value[0]));
        Assert.DoesNotContain(kafka.ReadAll(kafka.Topics.PaymentAdded), r => Encoding.UTF8.GetString(r.Message.Value).Contains("poison"));
    }
}
