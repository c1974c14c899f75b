using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.DevSchemaRegistry;
using Otto.Payments;
using Otto.Payments.Docs;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Demo;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net.SerDes;
using Xunit.Abstractions;

namespace Otto.IntegrationTests;

/// <summary>
/// A GetTrnRs must never be joined before the GetTrnRq it answers, even when the consumer fetches the reply first:
/// the requests topic's leader is a slow broker, so each reply is in the task's buffer before its request. Streamiz
/// takes a task's records in timestamp order only while every partition of the task has some buffered; with one
/// partition empty it waits up to max.task.idle.ms before going on alone. Otto's 500 ms lets a request 100 ms late
/// (a round trip of the slow broker) arrive and be taken first; with Streamiz's own default (0) a reply fetched before
/// its request is joined to nothing and dropped.
/// </summary>
public class RecordOrderTests(ITestOutputHelper output)
{
    private const string Env = "order";
    private const string App = "otto-order";
    private const int Pairs = 10;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(null, 100, Pairs)] // Otto's default MaxTaskIdle
    [InlineData(0, 500, 0)] // Streamiz's default
    public async Task A_reply_fetched_before_its_request_is_joined_only_with_Otto_s_max_task_idle(int? maxTaskIdleMs, int slowBrokerRttMs, int joined)
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 3);
        var topics = new PaymentTopics(Env);
        var internalTopics = new InternalTopics(PaymentsTopology.ForInspection(new PaymentsOptions { Env = Env }).Describe(), App);
        // Every topic led by broker 1, the requests by broker 2, which is made slow once the stream runs.
        foreach (var topic in topics.All.Concat(internalTopics.Changelogs.Values).Concat(internalTopics.Repartition.Select(internalTopics.RunTimeName)))
        {
            kafka.CreateTopic(topic, 1);
            kafka.SetPartitionLeader(topic, 0, topic == topics.GetTrnRq ? 2 : 1);
        }
        kafka.SetCoordinator(CoordinatorType.Group, App, 1);
        await using var registryServer = await DevSchemaRegistryServer.StartAsync();
        var options = new OttoOptions
        {
            Kafka = { BootstrapServers = kafka.BootstrapServers, Properties = new(DevCluster.ClientProperties) },
            SchemaRegistry = { Url = registryServer.Url.ToString(), AutoRegisterSchemas = true },
            Streams = { ApplicationId = App, CommitInterval = TimeSpan.FromMilliseconds(200), StateDir = Directory.CreateTempSubdirectory("otto-order-").FullName },
            Payments = new PaymentsOptions { Env = Env },
        };
        if (maxTaskIdleMs is { } idle) options.Streams.MaxTaskIdle = TimeSpan.FromMilliseconds(idle);
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var serdes = new PaymentsSerDes(registry, autoRegisterSchemas: true);
        var loggers = TestLoggers.For(output);
        using var progress = new ProgressMeter();
        using var byPayment = new TopicReader<string, GetTrnRs>(kafka.BootstrapServers, topics.RepliesByPayment, serdes.Key, serdes.Value<GetTrnRs>());
        using var producer = PaymentFacts.Producer(kafka.BootstrapServers);

        var status = new StreamStatus();
        var failure = new StreamFailure();
        using var stream = await StreamHost.StartAsync(options, registry, status, failure, loggers, kafka);
        await Eventually.True(() => status.Ready, Wait, "the stream RUNNING");
        kafka.SetBrokerRtt(2, TimeSpan.FromMilliseconds(slowBrokerRttMs));

        // Each request 10 ms before its reply, both sent at once: the reply's broker answers at once, the request's later.
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 1; i <= Pairs; i++)
        {
            producer.Produce(serdes, topics.GetTrnRq, $"c{i}", Request(i, t0.AddMilliseconds(20 * i)), t0.AddMilliseconds(20 * i));
            producer.Produce(serdes, topics.GetTrnRs, $"c{i}", Reply(i, t0.AddMilliseconds(20 * i + 10)), t0.AddMilliseconds(20 * i + 10));
        }
        producer.Flush();

        long Unknown() => progress.Total("otto.payments.replies.unknown", "reason=no-request");
        await Eventually.True(() => byPayment.Records.Count + Unknown() >= Pairs, Wait, "every reply joined or dropped");
        output.WriteLine($"max.task.idle.ms={maxTaskIdleMs?.ToString() ?? "Otto's default"}, requests' broker round trip {slowBrokerRttMs} ms: joined {byPayment.Records.Count}, dropped as answering no request {Unknown()}");
        Assert.Equal(joined, byPayment.Records.Count);
        Assert.Equal(Pairs - joined, Unknown());
        Assert.All(byPayment.Records, r => Assert.Equal($"p{r.Value.CorrelationId[1..]}", r.Key));
        Assert.Null(failure.Error);
    }

    private static GetTrnRq Request(int i, DateTimeOffset at) =>
        new() { CorrelationId = $"c{i}", PaymentId = $"p{i}", Rule = "MissingCoreTransaction", Attempt = 1, RequestedAt = at };

    private static GetTrnRs Reply(int i, DateTimeOffset at) =>
        new() { CorrelationId = $"c{i}", Found = true, CoreStatus = PaymentStatus.COMPLETED, RespondedAt = at };
}
