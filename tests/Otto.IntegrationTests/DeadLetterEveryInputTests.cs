using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams.SerDes;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests;

/// <summary>Bad bytes on every input topic of the payments topology (facts, requests table, replies, the
/// repartition hop) end in the dead-letter topic, and the same partitions go on to raise a flag.</summary>
public class DeadLetterEveryInputTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_bytes_on_every_input_topic_are_dead_lettered_and_processing_continues()
    {
        await using var cluster = await DevCluster.StartAsync("dlq", partitions: 1);
        var rules = new PaymentsOptions
        {
            Env = "dlq", Rules = { [StuckStatusRule.Name] = new() { Sla = TimeSpan.FromSeconds(1) } }, ReplyTimeout = TimeSpan.FromSeconds(10),
            MaxAttempts = 1, SweepInterval = TimeSpan.FromMilliseconds(100),
        };
        var options = cluster.WorkerOptions("otto-dlq", rules, commitInterval: TimeSpan.FromMilliseconds(200));
        var topics = new PaymentTopics("dlq");
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var serdes = new PaymentsSerDes(registry, autoRegisterSchemas: true);
        // Internal topics under their run-time names; the Account global table's topic too.
        var topology = OttoRuntime.Topology(options, registry);
        var repartition = topology.RepartitionTopics(options.Streams.ApplicationId);
        var inputs = topology.SourceTopics.Select(t => repartition.Keys.FirstOrDefault(r => r == $"{options.Streams.ApplicationId}-{t}") ?? t)
            .Append(topics.Accounts).ToList();
        using var deadLetters = new TopicReader<string, byte[]>(cluster.BootstrapServers, topics.DeadLetter, new StringSerDes(), new ByteArraySerDes());
        // Raw: the requests topic holds one of the bad records too.
        using var requests = new TopicReader<byte[], byte[]>(cluster.BootstrapServers, topics.GetTrnRq, new ByteArraySerDes(), new ByteArraySerDes());
        GetTrnRq? Request(byte[] value)
        {
            try { return serdes.Value<GetTrnRq>().Deserialize(value, new SerializationContext(MessageComponentType.Value, topics.GetTrnRq)); }
            catch (InvalidDataException) { return null; } // one of the bad records: not the wire format
        }
        using var flags = new TopicReader<string, PaymentFlagged>(cluster.BootstrapServers, topics.PaymentFlagged, serdes.Key, serdes.Value<PaymentFlagged>());
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        using var stream = StreamHost.Start(options, registry, NullLoggerFactory.Instance, cluster.TopicManager);

        // Keyed by their topic's name, so each dead letter tells where it came from.
        foreach (var topic in inputs)
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(topic), Value = [0xDE, 0xAD, 0xBE, 0xEF] });
        producer.Flush();
        await Eventually.True(() => deadLetters.Records.Count >= inputs.Count, Wait, "a dead letter per input topic");
        Assert.Equal(inputs.Order(), deadLetters.Records.Select(r => r.Key).Order());
        Assert.All(deadLetters.Records, r => Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, r.Value));

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
    }
}
