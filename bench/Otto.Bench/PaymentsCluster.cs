using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments;
using Otto.Payments.Model;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net;

namespace Otto.Bench;

/// <summary>
/// What the embedded payments benchmarks share: one dev cluster (mock Kafka + dev schema registry) with every Otto
/// topic, the worker's own options and registry client, the workload's facts as Kafka messages (Avro in the
/// Confluent wire format, to the topic of their source system), and the Otto worker's stream, started through
/// <see cref="StreamHost.StartAsync"/> as `otto run` starts it (the full payments topology on Streamiz, RocksDB
/// stores, changelogs, Otto's Kafka supplier, dead letters, co-partitioning check).
/// </summary>
internal sealed class PaymentsCluster : IAsyncDisposable
{
    public const int Partitions = 4;

    private readonly PaymentsSerDes _serdes;
    private readonly Dictionary<Type, Func<PaymentEvent, (string Topic, byte[] Value)>> _values = [];

    private PaymentsCluster(DevCluster dev, string env)
    {
        Dev = dev;
        Topics = new PaymentTopics(env);
        // The facts are produced up front, and Otto reads the first ones some 30 s later (raw pipe, start-up, group join):
        // with the default catch-up lag (30 s) the processor would take them for a backlog and hold its SLA rules, so
        // over-settlements would go unflagged and the work would differ from run to run.
        Options = dev.WorkerOptions($"otto-{env}", new PaymentsOptions { Env = env, CatchUpLag = TimeSpan.FromMinutes(10), CatchUpTimeout = TimeSpan.FromMinutes(10) }, TimeSpan.FromSeconds(5));
        // The facts are produced before Otto's group exists; Streamiz leaves its main consumer at librdkafka's default
        // offset reset, latest (Kafka Streams: earliest), and Otto's worker does not change it.
        Options.Kafka.Properties["main.consumer.auto.offset.reset"] = "earliest";
        Registry = OttoRuntime.Registry(Options.SchemaRegistry);
        _serdes = new PaymentsSerDes(Registry, autoRegisterSchemas: true);
        Value<PaymentEvent.Added, PaymentAdded>(Topics.PaymentAdded, e => e.Fact);
        Value<PaymentEvent.StatusChanged, PaymentStatusChanged>(Topics.PaymentStatusChanged, e => e.Fact);
        Value<PaymentEvent.Cancelled, PaymentCancelled>(Topics.PaymentCancelled, e => e.Fact);
        Value<PaymentEvent.CoreBooked, TrnAdded>(Topics.TrnAdded, e => e.Fact);
        Value<PaymentEvent.Settled, PaymentSettled>(Topics.PaymentSettled, e => e.Fact);
        Value<PaymentEvent.LimitsChanged, LimitsUpdated>(Topics.LimitsUpdated, e => e.Fact);
    }

    public DevCluster Dev { get; }
    public PaymentTopics Topics { get; }
    public OttoOptions Options { get; }
    public ISchemaRegistryClient Registry { get; }
    public string BootstrapServers => Dev.BootstrapServers;

    /// <summary>Starts the cluster with the Otto topics of <paramref name="env"/> and <paramref name="rawTopics"/>
    /// for the raw pipe, all with <see cref="Partitions"/> partitions.</summary>
    public static Task<PaymentsCluster> StartAsync(string env, params string[] rawTopics) => StartAsync(env, Partitions, rawTopics);

    /// <summary>Starts the cluster with the Otto topics of <paramref name="env"/> and <paramref name="rawTopics"/>
    /// for the raw pipe, all with <paramref name="partitions"/> partitions.</summary>
    public static async Task<PaymentsCluster> StartAsync(string env, int partitions, params string[] rawTopics)
    {
        var dev = await DevCluster.StartAsync(env, partitions);
        foreach (var topic in rawTopics) dev.Kafka.CreateTopic(topic, partitions);
        return new PaymentsCluster(dev, env);
    }

    /// <summary>What a payments benchmark's options change in the worker's settings, as a user would: <c>--max-task-idle-ms=N</c>
    /// (Otto:Streams:MaxTaskIdle) and any number of <c>--set=key=value</c> (Otto:Kafka:Properties, Streamiz's keys such
    /// as poll.ms or librdkafka's); returns them as one line for the benchmark's output.</summary>
    public string Configure(BenchArgs arguments)
    {
        Options.Streams.MaxTaskIdle = TimeSpan.FromMilliseconds(arguments.Number("max-task-idle-ms", Options.Streams.MaxTaskIdle.TotalMilliseconds));
        foreach (var (key, value) in arguments.Settings()) Options.Kafka.Properties[key] = value;
        return $"max_task_idle_ms={Options.Streams.MaxTaskIdle.TotalMilliseconds:F0}{arguments.SettingsText()}";
    }

    /// <summary>A fact as its source system publishes it: keyed by payment id, to its own topic.</summary>
    public (string Topic, Message<byte[], byte[]> Message) ToMessage(PaymentEvent fact)
    {
        var (topic, value) = _values[fact.GetType()](fact);
        var key = _serdes.Key.Serialize(PaymentsWorkload.Describe(fact).PaymentId, new SerializationContext(MessageComponentType.Key, topic));
        return (topic, new Message<byte[], byte[]> { Key = key, Value = value });
    }

    /// <summary>Publishes the reference table of accounts (read by the topology as a global table at start).</summary>
    public void ProduceAccounts(DateTimeOffset at)
    {
        var serdes = _serdes.Value<Account>();
        var context = new SerializationContext(MessageComponentType.Value, Topics.Accounts);
        EmbeddedRawPipe.Produce(BootstrapServers, Topics.Accounts, PaymentsWorkload.Accounts(at).Select(a => new Message<byte[], byte[]>
        {
            Key = _serdes.Key.Serialize(a.AccountId, context), Value = serdes.Serialize(a, context),
        }));
    }

    /// <summary>Starts the Otto worker's stream as `otto run` does; returns once Streamiz has started it (not yet
    /// running: the group join follows).</summary>
    public async Task<OttoStream> StartOttoAsync()
    {
        var status = new StreamStatus();
        var failure = new StreamFailure();
        var hosted = await StreamHost.StartAsync(Options, Registry, status, failure, BenchLogging.Loggers, Dev.Kafka);
        return new OttoStream(hosted, status, failure);
    }

    /// <summary>A started Otto stream with what the benchmarks watch; disposing it closes the stream (closing commit).</summary>
    public sealed record OttoStream(HostedStream Hosted, StreamStatus Status, StreamFailure Failure) : IDisposable
    {
        public KafkaStream Stream => Hosted.Stream;

        /// <summary>Waits until <paramref name="done"/> holds, printing <paramref name="progress"/> every 5 s; fails when
        /// the stream fails or <paramref name="timeout"/> passes.</summary>
        public void WaitFor(Func<bool> done, Func<string> progress, TextWriter output, TimeSpan timeout, TimeSpan? poll = null)
        {
            var waited = Stopwatch.StartNew();
            var lastReport = Stopwatch.StartNew();
            while (!done())
            {
                if (Failure.Failed.IsCompleted || Status.State == KafkaStream.State.ERROR)
                    throw new InvalidOperationException("The topology failed.", Failure.Error);
                if (waited.Elapsed > timeout) throw new TimeoutException($"Gave up after {timeout.TotalSeconds:F0} s: {progress()}");
                Thread.Sleep(poll ?? TimeSpan.FromMilliseconds(10));
                if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
                {
                    output.WriteLine($"bench: {progress()} ({Status.State})");
                    lastReport.Restart();
                }
            }
        }

        public void Dispose() => Hosted.Dispose();
    }

    private void Value<TEvent, TFact>(string topic, Func<TEvent, TFact> fact) where TEvent : PaymentEvent where TFact : class, Avro.Specific.ISpecificRecord
    {
        var serdes = _serdes.Value<TFact>();
        var context = new SerializationContext(MessageComponentType.Value, topic);
        _values[typeof(TEvent)] = e => (topic, serdes.Serialize(fact((TEvent)e), context));
    }

    public async ValueTask DisposeAsync() => await Dev.DisposeAsync();
}
