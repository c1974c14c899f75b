using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams.KafkaNative;

namespace Otto.Simulator;

/// <summary>
/// One simulation run against a Kafka cluster Otto is processing: the source systems publish the run's reference
/// data and payments (CPR, WSO2's TrnAdded, Recon, Limits; with injected anomalies, duplicates and poison records),
/// WSO2 answers Otto's GetTrnRq from the core's ledger, the fix responder answers FixPaymentRq, and a watcher
/// records Otto's flags, fixes, clearings and dead letters, so the run can say, rule by rule, what Otto missed and
/// what it flagged falsely. Create the topics before starting it.
/// </summary>
public sealed class Simulation : IAsyncDisposable
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _bootstrapServers;
    private readonly PaymentsSerDes _serDes;
    private readonly ILogger _logger;
    private readonly LibrdkafkaLog _librdkafka;
    private readonly SimulationCounters _counters = new();
    private readonly CoreLedger _ledger;
    private readonly FlagWatcher _watcher;
    private readonly PublishOrder _order;
    private readonly HashSet<string> _injected;
    private readonly HashSet<(string PaymentId, string Rule)> _expected;
    private readonly TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ConsumerLoop> _loops = [];
    private readonly List<IProducer<string, byte[]>> _producers = [];
    private Task _progress = Task.CompletedTask;
    private CancellationTokenSource? _linked;
    private long _publishedAtTicks;
    private int _state; // 0 new, 1 started, 2 disposed

    /// <summary>Prepares a run; nothing touches Kafka before <see cref="StartAsync"/>.</summary>
    /// <param name="bootstrapServers">The cluster Otto reads and writes.</param>
    /// <param name="registry">The schema registry Otto uses; CPR and WSO2 register their schemas there.</param>
    /// <param name="topics">Otto's topic names (its environment).</param>
    /// <param name="options">The run's settings; defaults when null.</param>
    /// <param name="loggers">Progress and flags are logged to its <see cref="Simulation"/> logger, the clients' librdkafka
    /// lines to <see cref="LibrdkafkaLog.Category"/>.</param>
    public Simulation(string bootstrapServers, ISchemaRegistryClient registry, PaymentTopics topics, SimulatorOptions? options = null, ILoggerFactory? loggers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(topics);
        Options = options ?? new SimulatorOptions();
        Options.Validate();
        Topics = topics;
        _bootstrapServers = bootstrapServers;
        _serDes = new PaymentsSerDes(registry, autoRegisterSchemas: true);
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<Simulation>();
        _librdkafka = new LibrdkafkaLog(loggers);
        Payments = PaymentPlan.Draw(Options);
        PoisonKeys = PaymentPlan.PoisonKeys(Options);
        _injected = Payments.Where(p => p.Kind.IsAnomaly()).Select(p => p.PaymentId).ToHashSet(StringComparer.Ordinal);
        _expected = [.. Payments.SelectMany(p => p.Kind.Expected().Select(e => (p.PaymentId, e.Rule)))];
        _ledger = new CoreLedger(Payments);
        _watcher = new FlagWatcher(Options, topics, _serDes, _counters, _logger);
        _order = new PublishOrder(Payments.Count);
    }

    /// <summary>The run's settings.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Otto's topics.</summary>
    public PaymentTopics Topics { get; }

    /// <summary>The run's payments as drawn from the seed: the ground truth.</summary>
    public IReadOnlyList<SimulatedPayment> Payments { get; }

    /// <summary>Ids of the injected anomalies: the payments Otto must flag.</summary>
    public IReadOnlySet<string> InjectedPaymentIds => _injected;

    /// <summary>The (payment, rule) pairs Otto must flag: the ground truth per rule.</summary>
    public IReadOnlySet<(string PaymentId, string Rule)> Expected => _expected;

    /// <summary>Keys of the poison records written to the PaymentAdded topic.</summary>
    public IReadOnlyList<string> PoisonKeys { get; }

    /// <summary>Completes when CPR has published every record and the broker acknowledged them (faults if publishing failed).</summary>
    public Task PublishingCompleted => _published.Task;

    /// <summary>Payments whose PaymentAdded was acknowledged.</summary>
    public long PaymentsPublished => _counters.Payments;

    /// <summary>Source facts acknowledged, duplicates included, poison records not.</summary>
    public long EventsPublished => _counters.Events;

    /// <summary>Duplicate facts acknowledged.</summary>
    public long DuplicatesPublished => _counters.Duplicates;

    /// <summary>Poison records acknowledged.</summary>
    public long PoisonPublished => _counters.Poison;

    /// <summary>GetTrnRq records about this run's payments seen by WSO2.</summary>
    public long RequestsSeen => _counters.Requests;

    /// <summary>GetTrnRs records WSO2 sent (acknowledged).</summary>
    public long RepliesSent => _counters.Replies;

    /// <summary>Distinct (payment, rule) pairs of this run flagged by Otto so far.</summary>
    public long FlagsSeen => _watcher.Detected.Count;

    /// <summary>Accounts published as reference data.</summary>
    public long AccountsPublished => _counters.Accounts;

    /// <summary>FixPaymentRq applied by the fix responder (once per idempotency key).</summary>
    public long FixesApplied => _counters.Fixes;

    /// <summary>FixPaymentRq whose idempotency key was already applied: acknowledged, not applied again.</summary>
    public long FixesRepeated => _counters.FixesRepeated;

    /// <summary>PaymentFlagged and FixPaymentRq records about this run, repeats included.</summary>
    public long FlagRecordsSeen => _counters.FlagRecords;

    /// <summary>Dead-letter records whose source key belongs to this run.</summary>
    public long DeadLettered => _counters.DeadLettered;

    /// <summary>Every (payment, rule) of this run Otto flagged, with the reason it gave first.</summary>
    public IReadOnlyCollection<DetectedFlag> Detected => _watcher.Detected;

    /// <summary>Starts WSO2, the fix responder and the flag watcher on their own threads, and the sources' publishing in the background
    /// (see <see cref="PublishingCompleted"/>). Returns once all are running.</summary>
    /// <param name="cancellationToken">Stops the whole run when cancelled.</param>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException(_state == 2 ? "The simulation was disposed." : "The simulation was already started.");
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken);
        var token = _linked.Token;
        var run = Options.RunId;
        _logger.LogInformation("sim {RunId}: {Payments} payments ({Injected} anomalies, {Benign} benign but suspicious), {Poison} poison records, seed {Seed}",
            run, Payments.Count, _injected.Count, Payments.Count(p => PaymentKinds.Benign.Contains(p.Kind)), PoisonKeys.Count, Options.Seed);

        var wso2Producer = SimulatorClients.Producer(_bootstrapServers, $"otto-sim-wso2-{run}", _logger, _librdkafka);
        _producers.Add(wso2Producer);
        var cprProducer = SimulatorClients.Producer(_bootstrapServers, $"otto-sim-cpr-{run}", _logger, _librdkafka);
        _producers.Add(cprProducer);

        var responder = new Wso2Responder(Options, Topics, _serDes, wso2Producer, _ledger, _counters, _logger);
        _loops.Add(new ConsumerLoop("otto-sim-wso2", SimulatorClients.Consumer(_bootstrapServers, responder.GroupId, _logger, _librdkafka),
            [Topics.GetTrnRq], responder.Handle, _logger));
        var fixes = new FixResponder(Options, Payments.ToDictionary(p => p.PaymentId), Topics, _serDes, wso2Producer, _counters, _logger);
        _loops.Add(new ConsumerLoop("otto-sim-fixes", SimulatorClients.Consumer(_bootstrapServers, fixes.GroupId, _logger, _librdkafka),
            [Topics.FixPaymentRq], fixes.Handle, _logger));
        _loops.Add(new ConsumerLoop("otto-sim-flags", SimulatorClients.Consumer(_bootstrapServers, _watcher.GroupId, _logger, _librdkafka),
            _watcher.Topics, _watcher.Handle, _logger));
        foreach (var loop in _loops) loop.Start();

        var publisher = new SourcePublisher(Payments, Options, Topics, _serDes, cprProducer, _ledger, _counters, _order, _logger);
        _ = Task.Run(() => publisher.RunAsync(token), token).ContinueWith(t =>
        {
            Interlocked.Exchange(ref _publishedAtTicks, DateTime.UtcNow.Ticks);
            if (t.IsFaulted) _published.TrySetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) _published.TrySetCanceled(token);
            else _published.TrySetResult();
        }, TaskScheduler.Default);
        _progress = LogProgressAsync(token);
        return Task.CompletedTask;
    }

    /// <summary>
    /// How long, from the start of the run, Otto configured with <paramref name="otto"/> may need to flag the
    /// last anomaly: the accounts' lead and publishing time, plus the longest SLA, plus the reply timeouts of every attempt (each twice
    /// the one before), plus a sweep interval per attempt and one more, plus <paramref name="margin"/> (consumer
    /// group joins, delivery latency). A timeout for <see cref="WaitForFlagsToSettleAsync"/>.
    /// </summary>
    public TimeSpan SettleTimeout(PaymentsOptions otto, TimeSpan margin)
    {
        var publishing = (Options.PaymentsPerSecond > 0 ? TimeSpan.FromSeconds(Payments.Count / Options.PaymentsPerSecond) : TimeSpan.Zero)
            + Options.AccountsLead + Options.StepDelay * Payments.Select(p => p.Script.Count).DefaultIfEmpty(0).Max();
        var sla = PaymentRules.LongestSla(otto);
        var replies = otto.ReplyTimeout * (Math.Pow(2, otto.MaxAttempts) - 1);
        return publishing + sla + replies + otto.SweepInterval * (otto.MaxAttempts + 1) + margin;
    }

    /// <summary>The run's figures so far; an expected flag not seen yet counts as missed or pending by <see cref="PendingFlags"/>.</summary>
    public SimulationReport Report()
    {
        var flagged = _watcher.Detected.Select(d => (d.PaymentId, d.Rule)).ToList();
        return SimulationReport.Compute((int)PaymentsPublished, (int)EventsPublished, (int)RequestsSeen, (int)RepliesSent, (int)DeadLettered,
            _expected, flagged, _watcher.ClearedByRule, PendingFlags.Of(Published, _expected, flagged));
    }

    /// <summary>Every payment of the run with its partition and the order its facts were sent in, as far as published.</summary>
    public IReadOnlyList<PublishedPayment> Published => [.. Payments.Select((p, i) => _order.Of(p, i))];

    /// <summary>
    /// Waits until publishing is done and Otto has settled: every injected anomaly flagged by each of its rules and
    /// no newly flagged (payment, rule) for <paramref name="quietPeriod"/> (so late false positives still show); or until
    /// <paramref name="timeout"/> passed (then the report shows what was missed and what is still pending). Choose the timeout from
    /// Otto's SLA settings: the longest SLA plus the reply timeouts of every attempt, plus sweep intervals.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run was not started.</exception>
    public async Task<SimulationReport> WaitForFlagsToSettleAsync(TimeSpan quietPeriod, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _state) == 0) throw new InvalidOperationException("Start the simulation first.");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (PublishingCompleted.IsCompleted)
            {
                await PublishingCompleted; // rethrows when publishing failed
                var quietSince = new DateTime(Math.Max(Interlocked.Read(ref _publishedAtTicks), _watcher.LastNewFlag.Ticks), DateTimeKind.Utc);
                if (_expected.All(e => _watcher.Has(e.PaymentId, e.Rule)) && DateTime.UtcNow - quietSince >= quietPeriod) break;
            }
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                _logger.LogWarning("sim {RunId}: flags did not settle within {Timeout}", Options.RunId, timeout);
                break;
            }
            await Task.Delay(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        var report = Report();
        _logger.LogInformation("sim {RunId}: {Report}", Options.RunId, report);
        LogDiscrepancies();
        return report;
    }

    /// <summary>Logs, payment by payment, every missed or pending flag, false flag and flag with another reason than expected.</summary>
    public void LogDiscrepancies()
    {
        var detected = _watcher.Detected.ToDictionary(d => (d.PaymentId, d.Rule));
        var pending = PendingFlags.Of(Published, _expected, detected.Keys);
        foreach (var payment in Payments)
        {
            foreach (var expected in payment.Kind.Expected())
            {
                if (!detected.TryGetValue((payment.PaymentId, expected.Rule), out var flag))
                    _logger.LogWarning("sim {RunId}: {Outcome} {PaymentId} ({Kind}) by {Rule}", Options.RunId,
                        pending.Contains((payment.PaymentId, expected.Rule)) ? "pending" : "missed", payment.PaymentId, payment.Kind, expected.Rule);
                else if (flag.Reason != expected.Reason)
                    _logger.LogWarning("sim {RunId}: {PaymentId} ({Kind}) flagged by {Rule} with {Reason}, expected {Expected}",
                        Options.RunId, payment.PaymentId, payment.Kind, expected.Rule, flag.Reason, expected.Reason);
            }
        }
        foreach (var flag in detected.Values.Where(d => !_expected.Contains((d.PaymentId, d.Rule))))
        {
            var kind = Payments.FirstOrDefault(p => p.PaymentId == flag.PaymentId)?.Kind;
            _logger.LogWarning("sim {RunId}: false flag {PaymentId} ({Kind}) by {Rule}: {Reason}", Options.RunId, flag.PaymentId, kind, flag.Rule, flag.Reason);
        }
    }

    /// <summary>Stops publishing, closes the consumers (leaving their groups) and disposes the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2) return;
        _stop.Cancel();
        try
        {
            await PublishingCompleted.WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or KafkaException or AggregateException)
        {
            _logger.LogDebug(e, "sim {RunId}: publishing ended early", Options.RunId);
        }
        catch (Exception) when (PublishingCompleted.IsFaulted)
        {
            // Surfaced to whoever awaited PublishingCompleted.
        }
        await Task.WhenAll(_loops.Select(loop => loop.StopAsync(StopTimeout)));
        await _progress;
        foreach (var producer in _producers)
        {
            producer.Flush(TimeSpan.FromSeconds(2));
            producer.Dispose();
        }
        _linked?.Dispose();
        _stop.Dispose();
    }

    private async Task LogProgressAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ProgressInterval, cancellationToken);
                _logger.LogInformation(
                    "sim {RunId}: payments {Published}/{Payments} events {Events} requests {Requests} replies {Replies} fixes {Fixes} flagged {Flagged}/{Injected} dead-lettered {Dead}",
                    Options.RunId, PaymentsPublished, Payments.Count, EventsPublished, RequestsSeen, RepliesSent, FixesApplied, FlagsSeen, _expected.Count, DeadLettered);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
