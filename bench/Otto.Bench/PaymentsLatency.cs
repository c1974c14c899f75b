using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Model;
using Otto.Payments.Rules;

namespace Otto.Bench;

/// <summary>
/// Fact → flag latency of Otto on Streamiz on the embedded cluster at a steady, moderate rate. Every other payment is a normal one; the
/// rest get a TrnAdded whose amount differs from CPR's, which makes AmountMismatch flag as soon as Otto applies it
/// (a rule with no SLA, so the figure is Otto's path, not a timer). The clock of a flag runs from that TrnAdded's
/// produce call to the PaymentFlagged record's arrival at a consumer of the flags topic: producer → broker → Otto
/// (consume, fold, rules, store, produce) → broker → consumer. The baseline, in the same run and at the same rate,
/// is the same facts through the raw consume→produce pipe, measured on the same TrnAdded records from produce to
/// their copy's arrival.
/// </summary>
public sealed class PaymentsLatency : IBenchmark
{
    private const string RawIn = "latency-bench.raw.in", RawOut = "latency-bench.raw.out", SentHeader = "bench-sent";

    // Payments flagged before the timed ones and not timed: a new producer's first deliveries take about a second on
    // the mock cluster, and the JIT is still compiling; the figures are for the steady state.
    private const int WarmUpFlags = 100;

    /// <inheritdoc />
    public string Name => "payments-latency";

    /// <inheritdoc />
    public string Description => "fact → PaymentFlagged latency (p50/p90/p99/max) at a steady rate, vs a raw consume→produce hop [flags, default 1000] [facts/s, default 300] [--max-task-idle-ms=N, default Otto's 500] [--set=key=value ...: Otto:Kafka:Properties]";

    /// <inheritdoc />
    public async Task RunAsync(string[] args, TextWriter output)
    {
        var arguments = new BenchArgs(args);
        var flags = (int)arguments.Number(0, 1_000);
        var rate = arguments.Number(1, 300);
        await using var cluster = await PaymentsCluster.StartAsync("lbench", RawIn, RawOut);
        // MaxTaskIdle makes a task with any partition that has nothing buffered wait up to that long before it processes
        // anything (Streamiz 1.8 idles on every empty partition, with or without lag); 0 never waits.
        var settings = cluster.Configure(arguments);

        var start = DateTimeOffset.UtcNow;
        var workload = new PaymentsWorkload(start, TimeSpan.FromMilliseconds(30));
        var payments = (WarmUpFlags + flags) * 2;
        var facts = workload.Interleaved(Enumerable.Range(0, payments).Select(i => (i, i % 2 == 1 ? PaymentsWorkload.Kind.AmountMismatch : PaymentsWorkload.Kind.Normal)), inFlight: 20)
            .Select(f => cluster.ToMessage(f) is var (topic, message) ? (topic, message, f is PaymentEvent.CoreBooked { Fact.PaymentId: var id } && IsTimedTrigger(id)) : default)
            .ToList();
        cluster.ProduceAccounts(start);
        output.WriteLine($"bench: {facts.Count:N0} facts of {payments:N0} payments, half of them flagged (AmountMismatch), the last {flags:N0} flags timed " +
            $"(the first {WarmUpFlags} warm up); {rate:F0} facts/s ≈ {facts.Count / rate:F0} s per run; MaxTaskIdle {cluster.Options.Streams.MaxTaskIdle.TotalMilliseconds:F0} ms");

        var otto = await OttoLatenciesAsync(cluster, facts, flags, rate, output);
        output.WriteLine($"bench: Otto fact → flag:   {Summary(otto)}");
        var raw = RawLatencies(cluster, facts, flags, rate, output);
        output.WriteLine($"bench: raw pipe hop:       {Summary(raw)}");

        string Field(string name, double[] ms) => string.Create(CultureInfo.InvariantCulture,
            $"{name}_p50_ms={Percentile(ms, 50):F1} {name}_p90_ms={Percentile(ms, 90):F1} {name}_p99_ms={Percentile(ms, 99):F1} {name}_max_ms={ms[^1]:F1}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: {Field("flag", otto)} {Field("raw", raw)} p50_ratio={Percentile(otto, 50) / Percentile(raw, 50):F2} flags={otto.Length} rate={rate:F0} {settings}"));
    }

    private static bool IsTimedTrigger(string paymentId) =>
        int.Parse(paymentId.AsSpan(4), CultureInfo.InvariantCulture) is var index && index % 2 == 1 && index >= WarmUpFlags * 2;

    // Otto runs; the facts go to their topics at the rate; a consumer of PaymentFlagged times each flag.
    private static async Task<double[]> OttoLatenciesAsync(PaymentsCluster cluster, List<(string Topic, Message<byte[], byte[]> Message, bool Trigger)> facts,
        int flags, double rate, TextWriter output)
    {
        var sent = new ConcurrentDictionary<string, long>();
        var flagSerDes = new PaymentsSerDes(cluster.Registry, autoRegisterSchemas: false).Value<PaymentFlagged>();
        var latencies = new List<double>(flags);
        using var consumer = Tail(cluster, cluster.Topics.PaymentFlagged);
        using var otto = await cluster.StartOttoAsync();
        otto.WaitFor(() => otto.Status.Ready, () => "waiting for Otto to run", output, TimeSpan.FromMinutes(1));
        var producing = Task.Run(() => ProduceAtRate(cluster.BootstrapServers, facts, rate, (f, at) => sent[PaymentIdOf(f)] = at));
        var context = new SerializationContext(MessageComponentType.Value, cluster.Topics.PaymentFlagged);
        Collect(consumer, flags, producing, output, "Otto", latencies, record =>
        {
            var flag = flagSerDes.Deserialize(record.Message.Value, context);
            if (flag.Rule != AmountMismatchRule.Name) throw new InvalidOperationException($"Unexpected flag {flag.FlagId} ({flag.Reason}).");
            return sent.TryGetValue(flag.PaymentId, out var at) ? at : -1; // a warm-up flag
        });
        return [.. latencies.Order()];
    }

    // The raw pipe copies every fact (headers included) from one topic to another; the TrnAdded records that Otto
    // would flag carry their produce time in a header.
    private static double[] RawLatencies(PaymentsCluster cluster, List<(string Topic, Message<byte[], byte[]> Message, bool Trigger)> facts,
        int flags, double rate, TextWriter output)
    {
        var latencies = new List<double>(flags);
        using var consumer = Tail(cluster, RawOut);
        using var assigned = new ManualResetEventSlim();
        var pipe = Task.Run(() => EmbeddedRawPipe.Run(cluster.BootstrapServers, RawIn, RawOut, facts.Count, TextWriter.Null, assigned.Set));
        if (!assigned.Wait(TimeSpan.FromMinutes(1))) throw new TimeoutException("The raw pipe got no partitions.");
        var producing = Task.Run(() => ProduceAtRate(cluster.BootstrapServers, facts.Select(f => (RawIn, f.Message, f.Trigger)).ToList(), rate, null));
        Collect(consumer, flags, producing, output, "raw pipe", latencies, record =>
            record.Message.Headers.TryGetLastBytes(SentHeader, out var at) ? BitConverter.ToInt64(at) : -1);
        pipe.Wait();
        return [.. latencies.Order()];
    }

    // A consumer reading every partition of a topic from the start, without a group (no join to wait for), with
    // fetches answered as soon as a record is there.
    private static IConsumer<byte[], byte[]> Tail(PaymentsCluster cluster, string topic)
    {
        var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers, GroupId = $"latency-{topic}", EnableAutoCommit = false, FetchWaitMaxMs = 10,
        }).Build();
        consumer.Assign(Enumerable.Range(0, PaymentsCluster.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        return consumer;
    }

    // Sends the facts at a steady rate with a producer tuned for latency (no linger); a trigger's send time
    // (Stopwatch ticks) goes into a header and to onTrigger.
    private static void ProduceAtRate(string bootstrap, List<(string Topic, Message<byte[], byte[]> Message, bool Trigger)> facts, double rate,
        Action<Message<byte[], byte[]>, long>? onTrigger)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Partitioner = Confluent.Kafka.Partitioner.Murmur2Random, LingerMs = 0, Acks = Acks.All, EnableIdempotence = true,
        }).Build();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < facts.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            while (clock.Elapsed < due) Thread.Sleep(1);
            var (topic, message, trigger) = facts[i];
            if (trigger)
            {
                var at = Stopwatch.GetTimestamp();
                message = new Message<byte[], byte[]> { Key = message.Key, Value = message.Value, Headers = new Headers { { SentHeader, BitConverter.GetBytes(at) } } };
                onTrigger?.Invoke(message, at);
            }
            producer.Produce(topic, message);
        }
        producer.Flush();
    }

    private static void Collect(IConsumer<byte[], byte[]> consumer, int expected, Task producing, TextWriter output, string what,
        List<double> latencies, Func<ConsumeResult<byte[], byte[]>, long> sentAt)
    {
        var lastReport = Stopwatch.StartNew();
        var deadline = Stopwatch.StartNew();
        while (latencies.Count < expected)
        {
            if (producing.IsFaulted) producing.Wait();
            if (deadline.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"{what}: {latencies.Count} of {expected} after 10 minutes.");
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null && sentAt(record) is var at && at >= 0) latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5))
            {
                output.WriteLine($"bench: {what}: {latencies.Count:N0}/{expected:N0} timed");
                lastReport.Restart();
            }
        }
        producing.Wait();
    }

    private static string PaymentIdOf(Message<byte[], byte[]> message) => System.Text.Encoding.UTF8.GetString(message.Key);

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];

    private static string Summary(double[] ms) => string.Create(CultureInfo.InvariantCulture,
        $"p50 {Percentile(ms, 50):F1} ms, p90 {Percentile(ms, 90):F1} ms, p99 {Percentile(ms, 99):F1} ms, max {ms[^1]:F1} ms over {ms.Length:N0}");
}
