using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Payments;
using Otto.Payments.Processing;
using Otto.Schemas.Registry;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Query;

namespace Otto.IntegrationTests.Query;

/// <summary>The worker's HTTP read side with two instances of one application (real Streamiz KafkaStreams of the
/// payments topology, started through StreamHost; the read side on a port of its own, bound as port 0 and advertised
/// with the port Kestrel bound) on the embedded cluster: each payment is answered by the instance holding its
/// partition, whichever instance is asked, and /flags gathers the flags of both. Both need the application's key, so
/// each forwarded request proves the forwarding instance sent it.</summary>
public class ReadSideTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const string App = "otto-read";
    private const string Key = "read-side-test-key";

    [Fact]
    public async Task Payments_are_answered_by_their_owner_whichever_instance_is_asked_and_flags_are_gathered_from_both()
    {
        await using var cluster = await DevCluster.StartAsync("read", partitions: 4);
        // The platform team creates it on a real cluster; the mock serves no CreateTopics.
        cluster.Kafka.CreateTopic(InstanceDirectory.TopicFor(App), 1);
        var payments = new PaymentsOptions { Env = "read" };
        var topic = new PaymentTopics(payments.Env).PaymentAdded;
        await using var a = await QueryWorker.ListenAsync(cluster, App, payments, Key);
        await using var b = await QueryWorker.ListenAsync(cluster, App, payments, Key);
        var workers = new[] { a, b };
        var byServer = workers.ToDictionary(w => w.Server);
        // Two instances on one host, each advertising the port it got.
        Assert.All(workers, w => Assert.Equal(w.Bindings.ReadSide!.Port, w.Directory.Self.Port));
        Assert.NotEqual(a.Server, b.Server);

        // Before the stream runs: 503 with its state.
        var early = await a.GetAsync("payments/p0");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.Status);
        Assert.Equal("CREATED", JsonNode.Parse(early.Body)!["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await a.GetAsync("flags")).Status);

        await a.StartAsync();
        await b.StartAsync();
        var ids = Enumerable.Range(0, 12).Select(i => $"p{i}").ToList();

        // Where each instance says a payment lives: itself, the other (by its advertised URL), or nobody.
        string? Owner(QueryWorker w, string id) => w.Directory.Locate(topic, Encoding.UTF8.GetBytes(id), Partitioner.Murmur2Random) switch
        {
            { IsLocal: true } => w.Server,
            { Owner: { } url } => url.Authority,
            _ => null,
        };
        // Settled: both running, each holding and having restored some of the payment partitions, together all of
        // them, and both agreeing on every payment's owner.
        await Eventually.True(() => workers.All(w => w.Status.Ready && w.Directory.Restoring(PaymentProcessor.StoreName, topic).Count == 0 &&
                                                     w.Directory.LocalPartitions.Any(p => p.Topic == topic)) &&
                                    ids.All(id => Owner(a, id) is { } owner && byServer.ContainsKey(owner) && owner == Owner(b, id)),
            Wait, "both instances running and agreeing on every payment's owner");
        Assert.Equal(2, ids.Select(id => Owner(a, id)).Distinct().Count());
        // Produced once the group has settled: Streamiz leaves auto.offset.reset at librdkafka's "latest", so
        // records written before a partition's first assignment would be skipped.
        Produce(cluster, payments.Env, ids);

        foreach (var id in ids)
        {
            var owner = byServer[Owner(a, id)!];
            var other = owner == a ? b : a;
            // Asked of the other instance: forwarded to the owner, which says it served it.
            var answer = Get(other, $"payments/{id}");
            await Eventually.True(() => (answer = Get(other, $"payments/{id}")).Status == HttpStatusCode.OK, Wait, $"payment {id}");
            var body = JsonNode.Parse(answer.Body)!;
            Assert.Equal(owner.Server, body["servedBy"]!.GetValue<string>());
            Assert.Equal(owner.Server, answer.Response.Headers.GetValues(InstanceClient.ServedByHeader).Single());
            Assert.Equal(id, body["payment"]!["paymentId"]!.GetValue<string>());
            Assert.Equal(owner.Server, JsonNode.Parse(Get(owner, $"payments/{id}").Body)!["servedBy"]!.GetValue<string>());

            // Not forwarded on request: 421 naming the owner.
            var misdirected = Get(other, $"payments/{id}?forward=false");
            Assert.Equal(HttpStatusCode.MisdirectedRequest, misdirected.Status);
            Assert.Equal($"http://{owner.Server}/payments/{id}", JsonNode.Parse(misdirected.Body)!["owner"]!.GetValue<string>());
        }

        // Unknown on both: 404 with a JSON error, from the owner however asked.
        foreach (var worker in workers)
        {
            var missing = Get(worker, "payments/never-added");
            Assert.Equal(HttpStatusCode.NotFound, missing.Status);
            Assert.Contains("never-added", JsonNode.Parse(missing.Body)!["error"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.BadRequest, Get(a, "payments/p0?forward=maybe").Status);

        // Status regressions (PROCESSING → PENDING) flag half of the payments, on both instances.
        var regressed = ids.Where((_, i) => i % 2 == 0).ToList();
        Assert.Equal(2, regressed.Select(id => Owner(a, id)).Distinct().Count());
        ProduceRegressions(cluster, payments.Env, regressed);
        JsonNode? flags = null;
        await Eventually.True(() => (flags = JsonNode.Parse(Get(a, "flags?open=true").Body))!["count"]?.GetValue<int>() == regressed.Count,
            Wait, "a flag per regressed payment, gathered from both instances");
        Assert.True(flags!["complete"]!.GetValue<bool>());
        Assert.Empty(flags["missingPartitions"]!.AsArray());
        Assert.False(flags["truncated"]!.GetValue<bool>());
        Assert.Equal(workers.Select(w => w.Server).Order(), flags["instances"]!.AsArray().Select(i => i!["server"]!.GetValue<string>()).Order());
        Assert.Equal(regressed.Order(), flags["flags"]!.AsArray().Select(f => f!["paymentId"]!.GetValue<string>()).Order());
        foreach (var flag in flags["flags"]!.AsArray())
        {
            Assert.Equal("StatusRegression", flag!["rule"]!.GetValue<string>());
            Assert.Equal("STATUS_REGRESSION", flag["reason"]!.GetValue<string>());
            Assert.Contains("PENDING", flag["detail"]!.GetValue<string>());
            Assert.StartsWith($"{flag["paymentId"]}:", flag["flagId"]!.GetValue<string>());
            Assert.True(DateTimeOffset.Parse(flag["raisedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UnixEpoch);
            Assert.Null(flag["clearedAt"]);
        }
        // One instance only, bounded, and all flags (open or not) of a payment's model.
        var local = JsonNode.Parse(Get(b, "flags?open=true&local=true").Body)!;
        Assert.Equal(regressed.Where(id => Owner(a, id) == b.Server).Order(), local["flags"]!.AsArray().Select(f => f!["paymentId"]!.GetValue<string>()).Order());
        var bounded = JsonNode.Parse(Get(b, "flags?limit=2").Body)!;
        Assert.Equal((2, true), (bounded["count"]!.GetValue<int>(), bounded["truncated"]!.GetValue<bool>()));
        Assert.Single(JsonNode.Parse(Get(a, $"payments/{regressed[0]}").Body)!["payment"]!["flags"]!.AsArray());
        foreach (var bad in new[] { "flags?open=maybe", "flags?limit=0", "flags?limit=10001", "flags?limit=x", "flags?local=1" })
            Assert.Equal(HttpStatusCode.BadRequest, Get(a, bad).Status);

        // The owner's read side stops answering: the other instance says where the payment is instead (421), and
        // /flags is incomplete, naming b's partitions as missing.
        var idOnB = ids.First(id => Owner(a, id) == b.Server);
        await b.StopHttpAsync();
        var unreachable = Get(a, $"payments/{idOnB}");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, unreachable.Status);
        Assert.Equal($"http://{b.Server}/payments/{idOnB}", unreachable.Response.Headers.Location!.ToString());
        Assert.Equal($"http://{b.Server}/payments/{idOnB}", JsonNode.Parse(unreachable.Body)!["owner"]!.GetValue<string>());
        var partial = JsonNode.Parse(Get(a, "flags?open=true").Body)!;
        Assert.False(partial["complete"]!.GetValue<bool>());
        Assert.NotNull(partial["instances"]!.AsArray().Single(i => i!["server"]!.GetValue<string>() == b.Server)!["error"]);
        Assert.Equal(b.Directory.LocalPartitions.Where(p => p.Topic == topic).Select(p => p.Partition.Value).Order(),
            partial["missingPartitions"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.Equal(regressed.Where(id => Owner(a, id) == a.Server).Order(), partial["flags"]!.AsArray().Select(f => f!["paymentId"]!.GetValue<string>()).Order());
    }

    private static (HttpStatusCode Status, string Body, HttpResponseMessage Response) Get(QueryWorker worker, string path) =>
        worker.GetAsync(path).GetAwaiter().GetResult();

    private static void Produce(DevCluster cluster, string env, IEnumerable<string> ids) =>
        Produce(cluster, (producer, serdes) =>
        {
            foreach (var id in ids)
            {
                // A debtor of its own: alike payments would be suspected duplicates of each other.
                var added = PaymentFacts.Added(id);
                added.DebtorAccount = $"D-{id}";
                producer.Produce(serdes, new PaymentTopics(env).PaymentAdded, id, added);
            }
        });

    // A newer status the lifecycle does not allow after PROCESSING.
    private static void ProduceRegressions(DevCluster cluster, string env, IEnumerable<string> ids) =>
        Produce(cluster, (producer, serdes) =>
        {
            foreach (var id in ids)
                producer.Produce(serdes, new PaymentTopics(env).PaymentStatusChanged, id, new PaymentStatusChanged
                {
                    EventId = $"{id}-back", PaymentId = id, OccurredAt = DateTimeOffset.UtcNow.AddMinutes(1), Status = PaymentStatus.PENDING,
                });
        });

    // Partitioned as the source systems do (murmur2), so the read side's placement holds.
    private static void Produce(DevCluster cluster, Action<IProducer<byte[], byte[]>, PaymentsSerDes> produce)
    {
        var serdes = new PaymentsSerDes(OttoRuntime.Registry(new SchemaRegistryOptions { Url = cluster.RegistryUrl.ToString() }), autoRegisterSchemas: true);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        produce(producer, serdes);
        producer.Flush();
    }
}
