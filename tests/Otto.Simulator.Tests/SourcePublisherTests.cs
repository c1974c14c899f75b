using System.Text;
using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;

namespace Otto.Simulator.Tests;

public class SourcePublisherTests
{
    // Every fact of the run as (payment id, event id, occurred-at, fact), from every source topic.
    private static List<(string Key, string EventId, DateTimeOffset At, object Fact)> Facts(SimCluster kafka, IReadOnlyList<string> poisonKeys)
    {
        IEnumerable<(string, string, DateTimeOffset, object)> Read<T>(string topic, Func<T, (string, DateTimeOffset)> id)
            where T : class, Avro.Specific.ISpecificRecord =>
            kafka.ReadAll(topic).Where(r => !poisonKeys.Contains(r.Message.Key))
                .Select(r => kafka.Read<T>(r) is var f ? (r.Message.Key, id(f).Item1, id(f).Item2, (object)f) : default);
        return
        [
            .. Read<PaymentAdded>(kafka.Topics.PaymentAdded, f => (f.EventId, f.OccurredAt)),
            .. Read<PaymentStatusChanged>(kafka.Topics.PaymentStatusChanged, f => (f.EventId, f.OccurredAt)),
            .. Read<PaymentCancelled>(kafka.Topics.PaymentCancelled, f => (f.EventId, f.OccurredAt)),
            .. Read<TrnAdded>(kafka.Topics.TrnAdded, f => (f.EventId, f.OccurredAt)),
            .. Read<PaymentSettled>(kafka.Topics.PaymentSettled, f => (f.EventId, f.OccurredAt)),
            .. Read<LimitsUpdated>(kafka.Topics.LimitsUpdated, f => (f.EventId, f.OccurredAt)),
        ];
    }

    [Fact]
    public async Task Each_payment_gets_its_script_on_every_source_topic_and_duplicates_reuse_the_event_id()
    {
        using var kafka = new SimCluster();
        var options = SimCluster.Options(payments: 60, anomalyRate: 0.5) with { DuplicateRate = 0.2, PoisonRecords = 2 };
        await using var sim = kafka.Simulation(options);

        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");

        var facts = Facts(kafka, sim.PoisonKeys);
        foreach (var payment in sim.Payments)
        {
            var mine = facts.Where(f => f.Key == payment.PaymentId).ToList();
            Assert.Equal(payment.Records, mine.Count);
            Assert.Equal(Enumerable.Range(0, payment.Script.Count).Select(payment.EventId).Order(), mine.Select(f => f.EventId).Distinct().Order());
            var unique = mine.DistinctBy(f => f.EventId).ToList();
            Assert.Equal(payment.Script.Count(s => s is FactStep.Settled), unique.Count(f => f.Fact is PaymentSettled));
            Assert.Equal(payment.Script.OfType<FactStep.Settled>().Sum(s => s.Amount), unique.Select(f => f.Fact).OfType<PaymentSettled>().Sum(s => s.SettledAmount));
            Assert.Equal(payment.Script.OfType<FactStep.TrnAdded>().Select(t => t.Amount), unique.Select(f => f.Fact).OfType<TrnAdded>().Select(t => t.Amount));
            Assert.All(unique.Select(f => f.Fact).OfType<LimitsUpdated>(), l => Assert.Equal((payment.Amount, payment.DebtorAccount), (l.Amount, l.AccountId)));
            Assert.Equal(payment.Kind == PaymentKind.Cancelled, unique.Any(f => f.Fact is PaymentCancelled));
        }
        Assert.Contains(sim.Payments, p => p.Records > p.Script.Count);

        var added = kafka.ReadAll(kafka.Topics.PaymentAdded);
        var first = kafka.Read<PaymentAdded>(added.First(r => r.Message.Key == sim.Payments[0].PaymentId));
        Assert.Equal((sim.Payments[0].Amount, sim.Payments[0].Rail, PaymentStatus.ADDED), (first.Amount, first.Rail, first.Status));
        var poison = added.Where(r => sim.PoisonKeys.Contains(r.Message.Key)).ToList();
        Assert.Equal(sim.PoisonKeys.Order(), poison.Select(r => r.Message.Key).Order());
        Assert.All(poison, r => Assert.Throws<InvalidDataException>(() => kafka.Read<PaymentAdded>(r)));

        Assert.Equal(sim.Payments.Count, sim.PaymentsPublished);
        Assert.Equal(sim.Payments.Sum(p => p.Records), sim.EventsPublished);
        Assert.Equal(2, sim.PoisonPublished);
    }

    [Fact]
    public async Task Reference_data_goes_out_before_the_first_payment_with_closed_accounts_for_account_not_active()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 40, anomalyRate: 0.5) with { PoisonRecords = 0 });

        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");

        var accounts = kafka.ReadAll(kafka.Topics.Accounts).ToDictionary(r => r.Message.Key, r => (r.Message.Timestamp, Account: kafka.Read<Account>(r)));
        Assert.Equal(sim.Payments.Select(p => p.DebtorAccount).Distinct().Order(), accounts.Keys.Order());
        Assert.All(sim.Payments, p => Assert.Equal(p.Kind == PaymentKind.AccountNotActive ? AccountStatus.CLOSED : AccountStatus.ACTIVE, accounts[p.DebtorAccount].Account.Status));
        var firstPayment = kafka.ReadAll(kafka.Topics.PaymentAdded).Min(r => r.Message.Timestamp.UnixTimestampMs);
        Assert.All(accounts.Values, a => Assert.True(a.Timestamp.UnixTimestampMs <= firstPayment));
        Assert.Equal(accounts.Count, sim.AccountsPublished);
    }

    [Fact]
    public async Task A_payment_is_keyed_by_its_id_and_its_facts_occur_in_script_order()
    {
        using var kafka = new SimCluster();
        await using var sim = kafka.Simulation(SimCluster.Options(payments: 30, anomalyRate: 0.5) with { DuplicateRate = 0, PoisonRecords = 0 });

        await sim.StartAsync();
        await Eventually.Within(sim.PublishingCompleted, Eventually.DefaultTimeout, "publishing");

        var facts = Facts(kafka, sim.PoisonKeys);
        foreach (var payment in sim.Payments)
        {
            // Event ids follow the script; occurred-at strictly increases along it, even within one millisecond.
            var times = facts.Where(f => f.Key == payment.PaymentId).OrderBy(f => int.Parse(f.EventId.Split("/e")[1])).Select(f => f.At).ToList();
            Assert.Equal(payment.Script.Count, times.Count);
            Assert.Equal(times.Order(), times);
            Assert.Equal(times.Count, times.Distinct().Count());
        }
        Assert.Equal(0, sim.DuplicatesPublished);
        Assert.DoesNotContain(kafka.ReadAll(kafka.Topics.PaymentAdded), r => r.Message.Value[0] == 0xFF || Encoding.UTF8.GetString(r.Message.Value).Contains("poison"));
    }
}
