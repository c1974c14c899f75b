using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Produce_waits_out_a_broker_outage_and_succeeds_when_the_broker_is_back()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("outage", 1);
        var errors = new ConcurrentQueue<Error>();
        using var producer = Clients.Producer(cluster, errors.Enqueue);
        await Eventually.Within(producer.ProduceAsync("outage", new Message<string, string> { Key = "warm", Value = "up" }), Eventually.DefaultTimeout, "warm-up delivery");

        cluster.SetBrokerDown(1);
        var pending = Enumerable.Range(0, 50)
            .Select(i => producer.ProduceAsync("outage", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }))
            .ToList();

        Eventually.Blocking(() => errors.Any(e => e.Code is ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown),
            Eventually.DefaultTimeout, "the producer to notice the broker is down");
        Assert.DoesNotContain(pending, t => t.IsCompleted);

        cluster.SetBrokerUp(1);
        var delivered = await Eventually.Within(Task.WhenAll(pending), Eventually.DefaultTimeout, "deliveries after the broker came back");
        Assert.All(delivered, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), delivered.Select(d => d.Offset.Value).Order());
    }

    [Fact]
    public async Task A_pushed_retriable_produce_error_is_retried_and_a_fatal_one_fails_the_delivery()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("flaky", 1);
        var config = Clients.ProducerConfig(cluster);
        config.RetryBackoffMs = 200;
        using var producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        await Eventually.Within(producer.ProduceAsync("flaky", new Message<string, string> { Key = "warm", Value = "up" }), Eventually.DefaultTimeout, "warm-up delivery");

        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var clock = Stopwatch.StartNew();
        var retried = await Eventually.Within(
            producer.ProduceAsync("flaky", new Message<string, string> { Key = "a", Value = "retried" }), Eventually.DefaultTimeout, "retried delivery");
        Assert.Equal(PersistenceStatus.Persisted, retried.Status);
        Assert.True(clock.ElapsedMilliseconds >= 2 * 200 - 50, $"two retries with 200 ms backoff took only {clock.ElapsedMilliseconds} ms");

        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
        var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(() => Eventually.Within(
            producer.ProduceAsync("flaky", new Message<string, string> { Key = "b", Value = "refused" }), Eventually.DefaultTimeout, "failed delivery"));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, failure.Error.Code);
    }

    [Fact]
    public async Task Cleared_request_errors_are_not_used()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("cleared", 1);
        using var producer = Clients.Producer(cluster);
        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
        cluster.ClearRequestErrors(KafkaApiKey.Produce);

        var result = await Eventually.Within(
            producer.ProduceAsync("cleared", new Message<string, string> { Key = "k", Value = "v" }), Eventually.DefaultTimeout, "delivery");
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }

    [Fact]
    public async Task Broker_rtt_delays_responses()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("slow", 1);
        using var producer = Clients.Producer(cluster);
        await Eventually.Within(producer.ProduceAsync("slow", new Message<string, string> { Key = "warm", Value = "up" }), Eventually.DefaultTimeout, "warm-up delivery");

        cluster.SetBrokerRtt(1, TimeSpan.FromMilliseconds(400));
        var clock = Stopwatch.StartNew();
        await Eventually.Within(producer.ProduceAsync("slow", new Message<string, string> { Key = "k", Value = "v" }), Eventually.DefaultTimeout, "slow delivery");
        Assert.True(clock.ElapsedMilliseconds >= 380, $"delivery with 400 ms RTT took only {clock.ElapsedMilliseconds} ms");
        cluster.SetBrokerRtt(1, TimeSpan.Zero);
    }

    [Fact]
    public void Partition_leadership_moves_to_the_chosen_broker()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic("led", 2, replicationFactor: 3);
        cluster.SetPartitionLeader("led", 0, 3);
        cluster.SetPartitionLeader("led", 1, 2);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers })
            .SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata("led", TimeSpan.FromSeconds(10));
        Assert.Equal(3, metadata.Brokers.Count);
        var partitions = metadata.Topics.Single().Partitions.OrderBy(p => p.PartitionId).ToList();
        Assert.Equal(new[] { 3, 2 }, partitions.Select(p => p.Leader));
        Assert.All(partitions, p => Assert.Equal(3, p.Replicas.Length));
    }

    [Fact]
    public async Task A_group_works_with_its_coordinator_set_explicitly()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic("coordinated", 2);
        cluster.SetCoordinator(CoordinatorType.Group, "coordinated-group", 2);
        var produced = await ProduceConsumeTests.ProduceAsync(cluster, "coordinated", count: 20, keys: 5);

        using var consumer = Clients.Consumer(cluster, "coordinated-group");
        consumer.Subscribe("coordinated");
        var count = 0;
        Eventually.Repeat(() => (consumer.Consume(TimeSpan.FromMilliseconds(100)) is null ? count : ++count) == produced.Count,
            Eventually.DefaultTimeout, "consuming through the coordinator on broker 2");
        consumer.Close();
    }
}
