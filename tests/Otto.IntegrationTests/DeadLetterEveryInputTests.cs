using System.Text;
using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams.SchemaRegistry;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Xunit.Abstractions;

namespace Otto.IntegrationTests;

/// <summary>Bad bytes on every topic the payments topology's stream threads read (facts, the requests tables, replies,
/// the hops Otto owns, the repartition topic) end in the dead-letter topic with their source in the headers, and the
/// same partitions go on to raise a flag. The Account global table's topic is read by Streamiz's global stream thread,
/// where a bad record is not dead-lettered (see the skipped test).</summary>
public class DeadLetterEveryInputTests(ITestOutputHelper output)
{
    private const string App = "otto-dlq";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly byte[] Bad = [0xDE, 0xAD, 0xBE, 0xEF];

    [Fact]
    public Task Bad_bytes_on_every_input_topic_are_dead_lettered_and_processing_continues() => DeadLettersAndGoesOn(globalTables: false);

    // Streamiz's global stream thread calls the deserialization handler too; it has no producer of its own, so the
    // dead letter goes through the supplier's and is acknowledged before the handler answers CONTINUE.
    [Fact]
    public Task Bad_bytes_on_the_global_table_s_topic_are_dead_lettered_too() => DeadLettersAndGoesOn(globalTables: true);

    private async Task DeadLettersAndGoesOn(bool globalTables)
    {
        await using var cluster = await DevCluster.StartAsync("dlq", partitions: 1);
        var rules = new PaymentsOptions
        {
            Env = "dlq", Rules = { [StuckStatusRule.Name] = new() { Sla = TimeSpan.FromSeconds(1) } }, ReplyTimeout = TimeSpan.FromSeconds(10),
            MaxAttempts = 1, SweepInterval = TimeSpan.FromMilliseconds(100),
            // The default CatchUpTimeout (2 min): a bad record that is the last of a partition's backlog when the task
            // starts never reaches the payment processor, yet counts as read (a wait for the bound fails the test).
        };
        var options = cluster.WorkerOptions(App, rules, commitInterval: TimeSpan.FromMilliseconds(200));
        var topics = new PaymentTopics("dlq");
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var serdes = new PaymentsSerDes(registry, autoRegisterSchemas: true);
        var inputs = SourceTopics(OttoRuntime.Topology(options, registry), globalTables);
        output.WriteLine($"inputs: {string.Join(", ", inputs)}");
        Assert.Contains($"{App}-{PaymentsTopology.AddedByDetails}-repartition", inputs);
        using var deadLetters = new TopicReader<string, byte[]>(cluster.BootstrapServers, topics.DeadLetter, new StringSerDes(), new ByteArraySerDes());
        // Raw: the requests topic holds one of the bad records too.
        using var requests = new TopicReader<byte[], byte[]>(cluster.BootstrapServers, topics.GetTrnRq, new ByteArraySerDes(), new ByteArraySerDes());
        GetTrnRq? Request(byte[] value)
        {
            try { return serdes.Value<GetTrnRq>().Deserialize(value, new SerializationContext(MessageComponentType.Value, topics.GetTrnRq)); }
            catch (Exception e) when (e is not RegistryFailureException) { return null; } // one of the bad records: not the wire format
        }
        using var flags = new TopicReader<string, PaymentFlagged>(cluster.BootstrapServers, topics.PaymentFlagged, serdes.Key, serdes.Value<PaymentFlagged>());
        using var producer = PaymentFacts.Producer(cluster.BootstrapServers);
        var loggers = TestLoggers.For(output);
        var failure = new StreamFailure();
        using var stream = await StreamHost.StartAsync(options, registry, new StreamStatus(), failure, loggers, cluster.Kafka);

        // Keyed by their topic's name, so each dead letter tells where it came from.
        foreach (var topic in inputs)
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(topic), Value = Bad });
        producer.Flush();
        await Eventually.True(() => deadLetters.Records.Count >= inputs.Count || failure.Failed.IsCompleted, Wait, "a dead letter per input topic");
        Assert.Null(failure.Error);
        Assert.Equal(inputs.Order(), deadLetters.Records.Select(r => r.Key).Order());
        Assert.All(deadLetters.Records, r =>
        {
            Assert.Equal(Bad, r.Value);
            Assert.Equal(r.Key, Header(r.Headers, DeadLetterHeaders.Topic));
            Assert.Equal("0", Header(r.Headers, DeadLetterHeaders.Partition));
            Assert.Equal("0", Header(r.Headers, DeadLetterHeaders.Offset));
            Assert.Equal(DeadLetterHeaders.DeserializationStage, Header(r.Headers, DeadLetterHeaders.Stage));
            Assert.False(string.IsNullOrEmpty(Header(r.Headers, DeadLetterHeaders.ExceptionMessage)));
        });

        // The same (only) partitions go on: a stuck payment is asked about, the reply joins the request and
        // hops through the repartition topic to the payment, which is flagged.
        producer.Produce(serdes, topics.PaymentAdded, "p1", PaymentFacts.Added("p1"));
        producer.Flush();
        var request = await Eventually.Get(() => requests.Records.Select(r => Request(r.Value)).FirstOrDefault(r => r?.PaymentId == "p1"), Wait, "GetTrnRq for p1");
        producer.Produce(serdes, topics.GetTrnRs, request.CorrelationId, new GetTrnRs
        {
            CorrelationId = request.CorrelationId, Found = true, CoreStatus = PaymentStatus.COMPLETED, RespondedAt = DateTimeOffset.UtcNow,
        });
        producer.Flush();
        await Eventually.True(() => flags.Records.Any(f => f.Key == "p1"), Wait, "the flag for p1");
        Assert.Equal(inputs.Count, deadLetters.Records.Count);
        Assert.Null(failure.Error);
        if (!globalTables) return;

        // Another instance (its own state directory) restores the Account table from its topic, bad record included,
        // and a payment of the account the bad record was keyed by (the topic's name) arrives.
        stream.Dispose();
        options.Streams.StateDir = Path.Combine(cluster.StateDir, "another-instance");
        var failure2 = new StreamFailure();
        using var stream2 = await StreamHost.StartAsync(options, registry, new StreamStatus(), failure2, loggers, cluster.Kafka);
        var p2 = PaymentFacts.Added("p2");
        p2.DebtorAccount = topics.Accounts;
        producer.Produce(serdes, topics.PaymentAdded, "p2", p2);
        producer.Flush();
        await Eventually.Get(() => requests.Records.Select(r => Request(r.Value)).FirstOrDefault(r => r?.PaymentId == "p2") ?? (failure2.Failed.IsCompleted ? new GetTrnRq() : null),
            Wait, "GetTrnRq for p2");
        Assert.Null(failure2.Error);
    }

    // Every topic a source node of the topology's sub-topologies reads (and with globalTables its global stores' too),
    // internal ones under their run-time name ({application id}-{name}).
    private static List<string> SourceTopics(Topology topology, bool globalTables)
    {
        var description = topology.Describe();
        var nodes = description.SubTopologies.SelectMany(s => s.Nodes);
        if (globalTables) nodes = nodes.Concat(description.GlobalStores.Select(g => (INodeDescription)g.Source));
        var sources = nodes.OfType<ISourceNodeDescription>().SelectMany(s => s.Topics);
        return [.. sources.Select(t => t.EndsWith("-repartition", StringComparison.Ordinal) && !t.StartsWith(App, StringComparison.Ordinal) ? $"{App}-{t}" : t).Distinct()];
    }

    private static string? Header(Headers headers, string key) =>
        headers.TryGetLastBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
