using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.DevSchemaRegistry;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Otto.Streams.Streamiz.CatchUp;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Tests.Processing;

/// <summary>The catch-up guard: while a task has not read the backlog its partitions held when it started (a
/// takeover, a restart), and while it processes records older than CatchUpLag (an outage's backlog), SLA rules wait.
/// The harness's topology has nothing to catch up at the start (<see cref="TakeoverCatchUp.None"/>, as in every
/// driver test); <see cref="Takeover"/> gives it a backlog.</summary>
public class CatchUpTests
{
    private static readonly TimeSpan Backlog = TimeSpan.FromHours(1);

    [Fact]
    public void Without_a_backlog_a_payment_already_past_its_SLA_is_asked_about_at_once()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);

        h.AddPayment("p1", at: h.Now - Backlog);

        Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
    }

    [Fact]
    public void A_backlog_that_resolves_the_condition_never_raises_a_question()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        Assert.Empty(h.Requests.ReadValueList());
        h.Advance(TimeSpan.FromSeconds(10)); // a sweep while the backlog is being read: deferred
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: h.Now - Backlog + TimeSpan.FromMinutes(3));

        h.RecordAge = TimeSpan.Zero;
        h.Advance(TimeSpan.FromMinutes(30));

        Assert.Empty(h.Requests.ReadValueList());
        Assert.Empty(h.Flags.ReadValueList());
    }

    [Fact]
    public void After_the_backlog_timed_rules_wait_CatchUpLag_more_then_the_next_sweep_evaluates()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        h.RecordAge = TimeSpan.Zero;
        h.AddPayment("p2", debtor: "DE09", at: h.Now - Backlog); // fresh record, still within CatchUpLag of the backlog
        Assert.Empty(h.Requests.ReadValueList());

        // Sweeps within CatchUpLag (30 s) of the last old record wait: a pause in processing is not the end of a backlog.
        h.Advance(h.Options.CatchUpLag);
        Assert.Empty(h.Requests.ReadValueList());

        h.Advance(h.Options.SweepInterval);
        Assert.Equal(["p1:StuckStatus:1:1", "p2:StuckStatus:1:1"], h.Requests.ReadValueList().Select(r => r.CorrelationId).Order());
    }

    [Fact]
    public void A_timed_flag_waits_for_the_backlog_but_an_untimed_rule_does_not()
    {
        using var h = new PaymentsHarness(MissingSettlementRule.Name, AmountMismatchRule.Name);
        h.RecordAge = Backlog;
        h.AddPayment("p1", at: h.Now - Backlog);
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: h.Now - Backlog);
        h.BookInCore("p1", amount: 1m, at: h.Now - Backlog);

        Assert.Equal([AmountMismatchRule.Name], h.Flags.ReadValueList().Select(f => f.Rule));
        h.RecordAge = TimeSpan.Zero;
        h.Advance(h.Options.CatchUpLag);
        Assert.Empty(h.Flags.ReadValueList());

        h.Advance(h.Options.SweepInterval);
        Assert.Equal([MissingSettlementRule.Name], h.Flags.ReadValueList().Select(f => f.Rule));
    }

    [Fact]
    public void A_record_just_inside_the_catch_up_lag_does_not_defer_anything()
    {
        using var h = new PaymentsHarness(StuckStatusRule.Name);
        h.RecordAge = h.Options.CatchUpLag;

        h.AddPayment("p1", at: h.Now - Backlog);

        Assert.Equal("p1:StuckStatus:1:1", h.Requests.ReadKeyValue().Message.Key);
    }

    [Fact]
    public void The_payment_processor_catches_up_on_every_topic_its_sub_topology_reads()
    {
        var options = new PaymentsOptions();
        var description = PaymentsTopology.ForInspection(options).Describe();

        var processorSubTopology = Assert.Single(description.SubTopologies, s => s.Nodes.Any(n => n.Name == "payment-processor"));
        var read = processorSubTopology.Nodes.OfType<ISourceNodeDescription>().SelectMany(n => n.Topics);

        Assert.Equal(read.Order(), PaymentsTopology.PaymentProcessorSources(new PaymentTopics(options.Env)).Order());
    }

    [Fact]
    public void A_task_that_starts_with_a_backlog_asks_nothing_before_the_backlogs_last_record_is_processed()
    {
        // The task took over PaymentAdded[0] with two records to read; its other partitions have nothing to read.
        using var t = new Takeover(lastPaymentAdded: 1);

        t.AddPayment("p1"); // offset 0: past its SLA, but the record settling it may still be in the backlog
        Assert.Empty(t.Requests.ReadValueList());
        t.Advance(TimeSpan.FromSeconds(10)); // a sweep: deferred
        t.Advance(TimeSpan.FromMinutes(1)); // longer than CatchUpLag and the reply timeout: still deferred
        Assert.Empty(t.Requests.ReadValueList());

        t.AddPayment("p2"); // offset 1, the backlog's last record: caught up, p2 is judged at once
        Assert.Equal(["p2:StuckStatus:1:1"], t.Requests.ReadValueList().Select(r => r.CorrelationId));

        t.Advance(TimeSpan.FromSeconds(10)); // p1 was indexed as due at once: the first sweep asks about it
        Assert.Equal(["p1:StuckStatus:1:1"], t.Requests.ReadValueList().Select(r => r.CorrelationId));
    }

    [Fact]
    public void A_backlog_that_is_never_read_holds_timed_rules_until_CatchUpTimeout_after_the_start()
    {
        // Its last record never reaches the processor (dead-lettered before it, say).
        using var t = new Takeover(lastPaymentAdded: 5);
        t.AddPayment("p1");

        t.Advance(t.Options.CatchUpTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(t.Requests.ReadValueList());

        t.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["p1:StuckStatus:1:1"], t.Requests.ReadValueList().Select(r => r.CorrelationId));
    }

    [Fact]
    public void A_catch_up_timeout_shorter_than_the_catch_up_lag_is_refused()
    {
        var options = new PaymentsOptions { CatchUpLag = TimeSpan.FromMinutes(5), CatchUpTimeout = TimeSpan.FromMinutes(2) };

        Assert.Contains("CatchUpTimeout", Assert.Throws<ArgumentException>(options.Validate).Message);
    }

    /// <summary>The payments topology in Streamiz's driver, whose payment-processor task starts with a backlog: partition
    /// 0 of PaymentAdded up to offset <c>lastPaymentAdded</c>, nothing to read elsewhere (a probe that answers at once).
    /// StuckStatus alone runs, with a 10-minute SLA; records are piped fresh, so CatchUpLag plays no part.</summary>
    private sealed class Takeover : IDisposable
    {
        private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-catchup-tests-").FullName;
        private readonly PaymentsSerDes _serdes = new(InProcessRegistry.Client, autoRegisterSchemas: true);
        private readonly TopologyTestDriver _driver;
        private readonly DriverClock _clock;
        private readonly TestInputTopic<string, PaymentAdded> _added;
        private readonly PaymentTopics _topics;

        public Takeover(long lastPaymentAdded)
        {
            Options.Rules[StuckStatusRule.Name] = new RuleOptions { Sla = TimeSpan.FromMinutes(10) };
            foreach (var name in PaymentRules.Names.Where(n => n != StuckStatusRule.Name))
                Options.Rules[name] = new RuleOptions { Enabled = false };
            _topics = new PaymentTopics(Options.Env);
            var backlog = new BacklogProbe(p => p.Topic == _topics.PaymentAdded ? lastPaymentAdded : null);
            var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "otto-catchup-test", StateDir = _stateDir };
            _driver = new TopologyTestDriver(PaymentsTopology.Build(Options, _serdes, catchUp: new TakeoverCatchUp(backlog)), config,
                TopologyTestDriver.Mode.SYNC_TASK);
            _clock = new DriverClock(_driver);
            _clock.Move(PaymentsHarness.T0 - _clock.Now); // before the task starts (with the first input topic)
            _added = _driver.CreateInputTopic(_topics.PaymentAdded, _serdes.Key, _serdes.Value<PaymentAdded>());
            Requests = _driver.CreateOutputTopic(_topics.GetTrnRq, TimeSpan.Zero, _serdes.Key, _serdes.Value<GetTrnRq>());
        }

        public PaymentsOptions Options { get; } = new()
        {
            Env = "test",
            ReplyTimeout = TimeSpan.FromMinutes(1),
            SweepInterval = TimeSpan.FromSeconds(10),
            CatchUpLag = TimeSpan.FromSeconds(30),
            CatchUpTimeout = TimeSpan.FromMinutes(10),
        };

        public TestOutputTopic<string, GetTrnRq> Requests { get; }

        public void AddPayment(string paymentId) => _added.PipeInput(paymentId, new PaymentAdded
        {
            EventId = $"evt-{paymentId}",
            PaymentId = paymentId,
            OccurredAt = _clock.Now - TimeSpan.FromHours(1),
            Rail = PaymentRail.SEPA,
            DebtorAccount = "DE01",
            CreditorAccount = "DE02",
            Amount = 10m,
            Currency = "EUR",
            Status = PaymentStatus.PROCESSING,
        }, _clock.Now.UtcDateTime);

        public void Advance(TimeSpan by)
        {
            _clock.Move(by);
            _driver.AdvanceWallClockTime(TimeSpan.Zero);
        }

        public void Dispose()
        {
            _driver.Dispose();
            Directory.Delete(_stateDir, recursive: true);
        }
    }

    /// <summary>Answers at once: every asked partition from offset 0, its last backlog record as <c>last</c> says.</summary>
    private sealed class BacklogProbe(Func<TopicPartition, long?> last) : IBacklogProbe
    {
        public Task<IReadOnlyList<PartitionBacklog>> FindAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<PartitionBacklog>>(partitions
                .Select(p => new PartitionBacklog(p, 0, last(p) + 1 ?? 0, last(p)))
                .ToList());
    }
}
