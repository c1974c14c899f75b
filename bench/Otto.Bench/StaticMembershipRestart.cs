using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Table;

namespace Otto.Bench;

/// <summary>
/// What one worker's restart costs the others: three workers of one application (each a <see cref="KafkaStream"/> with
/// one stream thread, a RocksDB count per key with its changelog, configured by <see cref="OttoRuntime.StreamConfig"/>
/// and run over Otto's supplier) under a steady load; one of them is disposed (a graceful stop: commit, close) and
/// started again on its state directory after a pause shorter than the session timeout. Dynamic membership is the
/// baseline; static membership sets <c>Otto:Streams:GroupInstanceId</c> per worker. Figures: the survivors' rebalances
/// and longest stretch without processing a record from the stop on (beside their longest stretch in the steady state
/// before it), and how long until the restarted worker processes again.
/// </summary>
/// <remarks>librdkafka's mock cluster (2.16) stores a member's group.instance.id but finds members by member id only: a
/// static member that comes back joins as a new member (a rebalance) and its former self stays until its session times
/// out (a second one). So on the embedded cluster this measures the mock's handling, not a broker's (KIP-345: no
/// rebalance when a static member is back within its session timeout).</remarks>
public sealed class StaticMembershipRestart : IBenchmark
{
    // The embedded set-up's session timeout (DevCluster.ClientProperties): a run lasts until nothing changed for longer
    // than that, so a rebalance caused by a departed member's expiry is counted too.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(9);
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Name => "static-membership";

    /// <inheritdoc />
    public string Description => "one of three workers restarted under load: dynamic (baseline) vs static group membership [--rate=records/s, default 1000] [--pause=s between stop and start, default 1] [--partitions=N, default 6]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        var arguments = new BenchArgs(args);
        var rate = (int)arguments.Number("rate", 1000);
        var pause = TimeSpan.FromSeconds(arguments.Number("pause", 1));
        var partitions = (int)arguments.Number("partitions", 6);
        using var cluster = EmbeddedKafkaCluster.Start();
        output.WriteLine($"bench: librdkafka {EmbeddedKafkaCluster.LibrdkafkaVersion} mock cluster, 3 workers, {partitions} partitions, {rate} records/s, restart pause {pause.TotalSeconds:F1} s");

        var dynamic = await RunAsync(cluster, "dynamic", isStatic: false, partitions, rate, pause, output);
        var @static = await RunAsync(cluster, "static", isStatic: true, partitions, rate, pause, output);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: dynamic_survivor_pause_s={dynamic.SurvivorPause:F2} static_survivor_pause_s={@static.SurvivorPause:F2} " +
            $"pause_ratio={@static.SurvivorPause / dynamic.SurvivorPause:F2} dynamic_survivor_not_running_s={dynamic.SurvivorNotRunning:F2} " +
            $"static_survivor_not_running_s={@static.SurvivorNotRunning:F2} dynamic_survivor_rebalances={dynamic.SurvivorRebalances} " +
            $"static_survivor_rebalances={@static.SurvivorRebalances} dynamic_restart_s={dynamic.Restart:F2} static_restart_s={@static.Restart:F2} " +
            $"restart_ratio={@static.Restart / dynamic.Restart:F2}"));
    }

    private sealed record Outcome(double SurvivorPause, double SurvivorNotRunning, int SurvivorRebalances, double Restart);

    private static async Task<Outcome> RunAsync(EmbeddedKafkaCluster cluster, string mode, bool isStatic, int partitions, int rate, TimeSpan pause, TextWriter output)
    {
        var application = $"bench-{mode}-{Guid.NewGuid():N}"[..24];
        var topic = $"{application}-in";
        cluster.CreateTopic(topic, partitions);
        using var load = new Load(cluster, topic, rate);
        var workers = Enumerable.Range(0, 3).Select(i => new Worker(cluster, application, topic, $"worker-{i}", isStatic)).ToList();
        try
        {
            foreach (var w in workers) await w.StartAsync();
            await WaitAsync(() => workers.All(w => w.Running && w.ProcessedWithin(TimeSpan.FromSeconds(1))) && workers.All(w => w.QuietFor(TimeSpan.FromSeconds(3))),
                TimeSpan.FromSeconds(90), "three workers processing");
            await Task.Delay(Steady); // the steady state the gaps after the stop are compared with

            var restarted = workers[2];
            var stopAt = Stopwatch.GetTimestamp();
            restarted.Stop();
            var stopped = Stopwatch.GetElapsedTime(stopAt);
            await Task.Delay(pause);
            var startAt = Stopwatch.GetTimestamp();
            await restarted.StartAsync();
            await WaitAsync(() => restarted.FirstProcessedAfter(startAt) is not null && workers.All(w => w.Running && w.ProcessedWithin(TimeSpan.FromSeconds(1)))
                                  && workers.All(w => w.QuietFor(Quiet)), TimeSpan.FromSeconds(120), "the group to settle after the restart");
            var endAt = Stopwatch.GetTimestamp();

            var survivors = workers.Take(2).ToList();
            var pauses = survivors.Select(w => w.LongestGap(stopAt, endAt).TotalSeconds).ToList();
            var steady = survivors.Select(w => w.LongestGap(stopAt - (long)(Steady.TotalSeconds * Stopwatch.Frequency), stopAt).TotalSeconds).ToList();
            var rebalances = survivors.Select(w => w.Rebalances(stopAt)).ToList();
            var notRunning = survivors.Select(w => w.NotRunning(stopAt, endAt).TotalSeconds).ToList();
            var restart = Stopwatch.GetElapsedTime(startAt, restarted.FirstProcessedAfter(startAt)!.Value).TotalSeconds;
            var sinceStop = Stopwatch.GetElapsedTime(stopAt, restarted.FirstProcessedAfter(startAt)!.Value).TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench: {mode}: stop took {stopped.TotalSeconds:F2} s; survivors: rebalances {string.Join("/", rebalances)}, not RUNNING " +
                $"{string.Join("/", notRunning.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))} s, longest pause " +
                $"{string.Join("/", pauses.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))} s (steady state before: " +
                $"{string.Join("/", steady.Select(p => p.ToString("F2", CultureInfo.InvariantCulture)))} s); restarted worker processes again " +
                $"{restart:F2} s after its start ({sinceStop:F2} s after its stop), rebalances {restarted.Rebalances(startAt)}"));
            foreach (var w in workers) output.WriteLine($"bench: {mode}: {w.Name} after the stop: {w.Timeline(stopAt)}");
            return new Outcome(pauses.Max(), notRunning.Max(), rebalances.Max(), restart);
        }
        finally
        {
            Parallel.ForEach(workers, w => w.Dispose());
        }
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Produces keyed records at a steady rate until disposed.</summary>
    private sealed class Load : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;

        public Load(EmbeddedKafkaCluster cluster, string topic, int rate)
        {
            _task = Task.Run(async () =>
            {
                using var producer = new ProducerBuilder<string, string>(new ProducerConfig
                {
                    BootstrapServers = cluster.BootstrapServers, Partitioner = Confluent.Kafka.Partitioner.Murmur2Random, LingerMs = 5,
                }).SetLogHandler((_, _) => { }).Build();
                var random = new Random(13);
                var clock = Stopwatch.StartNew();
                long sent = 0;
                while (!_stop.IsCancellationRequested)
                {
                    for (; sent < clock.Elapsed.TotalSeconds * rate; sent++)
                        producer.Produce(topic, new Message<string, string> { Key = $"k{random.Next(1000)}", Value = "v" });
                    await Task.Delay(5);
                }
                producer.Flush(TimeSpan.FromSeconds(10));
            });
        }

        public void Dispose()
        {
            _stop.Cancel();
            _task.GetAwaiter().GetResult();
        }
    }

    /// <summary>One worker: a stream over Otto's supplier on its own state directory, with the times it processed a
    /// record and changed state. Stopping and starting it again keeps its state directory and instance id.</summary>
    private sealed class Worker(EmbeddedKafkaCluster cluster, string application, string topic, string name, bool isStatic) : IDisposable
    {
        private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-bench-static-").FullName;
        private readonly ConcurrentQueue<long> _processed = new();
        private readonly ConcurrentQueue<(long At, KafkaStream.State State)> _states = new();
        private KafkaStream? _stream;
        private OttoKafkaSupplier? _supplier;
        private volatile bool _running;

        public bool Running => _running;

        public string Name => name;

        /// <summary>Its state changes after <paramref name="since"/>, in seconds from then.</summary>
        public string Timeline(long since) => string.Join(", ", _states.Where(s => s.At > since)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"+{Stopwatch.GetElapsedTime(since, s.At).TotalSeconds:F2} {s.State}")));

        public async Task StartAsync()
        {
            var options = new OttoOptions
            {
                Kafka = { BootstrapServers = cluster.BootstrapServers, Properties = new(DevCluster.ClientProperties) },
                Streams = { ApplicationId = application, StateDir = _stateDir, CommitInterval = TimeSpan.FromSeconds(1), GroupInstanceId = isStatic ? name : null },
            };
            var config = OttoRuntime.StreamConfig(options, BenchLogging.Loggers);
            var builder = new StreamBuilder();
            builder.Stream<string, string>(topic)
                .Peek((_, _, _) => _processed.Enqueue(Stopwatch.GetTimestamp()))
                .GroupByKey()
                .Count(Counts());
            _supplier = new OttoKafkaSupplier(config, cluster);
            _stream = new KafkaStream(builder.Build(), config, _supplier);
            _stream.StateChanged += (_, now) =>
            {
                _states.Enqueue((Stopwatch.GetTimestamp(), now));
                _running = now == KafkaStream.State.RUNNING;
            };
            await _stream.StartAsync();
        }

        private static Materialized<string, long, Streamiz.Kafka.Net.State.IKeyValueStore<Streamiz.Kafka.Net.Crosscutting.Bytes, byte[]>> Counts() =>
            RocksDb.As<string, long>("counts").WithKeySerdes(new StringSerDes()).WithValueSerdes(new Int64SerDes());

        /// <summary>A graceful stop: Streamiz commits and closes each thread, then its consumer.</summary>
        public void Stop()
        {
            _stream?.Dispose();
            _supplier?.Dispose();
            _stream = null;
            _running = false;
        }

        public bool ProcessedWithin(TimeSpan span) =>
            _processed.LastOrDefault() is var last and > 0 && Stopwatch.GetElapsedTime(last) < span;

        public bool QuietFor(TimeSpan span) => _states.LastOrDefault() is var last && last.At > 0 && Stopwatch.GetElapsedTime(last.At) > span;

        public long? FirstProcessedAfter(long at) => _processed.Where(t => t > at).Select(t => (long?)t).FirstOrDefault();

        /// <summary>How many times it went into REBALANCING after <paramref name="since"/>.</summary>
        public int Rebalances(long since) => _states.Count(s => s.At > since && s.State == KafkaStream.State.REBALANCING);

        /// <summary>How long it was not RUNNING between <paramref name="from"/> and <paramref name="to"/>.</summary>
        public TimeSpan NotRunning(long from, long to)
        {
            long total = 0, since = 0;
            foreach (var (at, state) in _states.Where(s => s.At > from && s.At <= to))
            {
                if (state != KafkaStream.State.RUNNING && since == 0) since = at;
                else if (state == KafkaStream.State.RUNNING && since != 0) { total += at - since; since = 0; }
            }
            if (since != 0) total += to - since;
            return TimeSpan.FromSeconds((double)total / Stopwatch.Frequency);
        }

        /// <summary>The longest stretch between <paramref name="from"/> and <paramref name="to"/> without a processed record.</summary>
        public TimeSpan LongestGap(long from, long to)
        {
            var previous = from;
            long longest = 0;
            foreach (var t in _processed.Where(t => t > from && t <= to).Append(to))
            {
                longest = Math.Max(longest, t - previous);
                previous = t;
            }
            return TimeSpan.FromSeconds((double)longest / Stopwatch.Frequency);
        }

        public void Dispose()
        {
            Stop();
            try { Directory.Delete(_stateDir, recursive: true); }
            catch (IOException) { } // RocksDB still closing; the temp directory is the OS's to clean
        }
    }
}
