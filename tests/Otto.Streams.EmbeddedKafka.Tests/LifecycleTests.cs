using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public void Dispose_twice_is_safe_and_later_calls_throw_ObjectDisposedException()
    {
        var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
        Assert.Throws<ObjectDisposedException>(() => cluster.SetBrokerDown(1));
        Assert.Throws<ObjectDisposedException>(() => cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.RequestTimedOut));
    }

    [Fact]
    public async Task Dispose_racing_with_calls_from_other_threads_only_yields_ObjectDisposedException()
    {
        var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        using var go = new ManualResetEventSlim();
        var calls = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            go.Wait();
            try
            {
                for (var i = 0; ; i++)
                {
                    cluster.SetBrokerRtt(1 + i % 2, TimeSpan.FromMilliseconds(i % 3));
                    cluster.CreateTopic($"race-{w}-{i}", 1);
                    Interlocked.Increment(ref calls);
                }
            }
            catch (ObjectDisposedException)
            {
                // The only acceptable way out.
            }
        })).ToArray();

        go.Set();
        Eventually.Blocking(() => Volatile.Read(ref calls) > 100, Eventually.DefaultTimeout, "workers to be busy");
        cluster.Dispose();
        await Eventually.Within(Task.WhenAll(workers).ContinueWith(_ => true), Eventually.DefaultTimeout, "workers to stop");
        Assert.All(workers, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
    }

    [Fact]
    public void Each_cluster_has_its_own_brokers()
    {
        using var one = EmbeddedKafkaCluster.Start(brokers: 3);
        using var two = EmbeddedKafkaCluster.Start();

        Assert.Equal(3, one.BootstrapServers.Split(',').Length);
        Assert.Single(two.BootstrapServers.Split(','));
        Assert.Empty(one.BootstrapServers.Split(',').Intersect(two.BootstrapServers.Split(',')));
        Assert.All(one.BootstrapServers.Split(','), b => Assert.StartsWith("127.0.0.1:", b));
    }

    [Fact]
    public void Creating_an_existing_topic_is_a_clear_error()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("once", 3);

        var error = Assert.Throws<EmbeddedKafkaException>(() => cluster.CreateTopic("once", 3));
        Assert.Equal(ErrorCode.TopicAlreadyExists, error.Code);
        Assert.Contains("'once' already exists", error.Message);
    }

    [Fact]
    public void A_metadata_request_auto_creates_an_unknown_topic_with_four_partitions()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers })
            .SetLogHandler((_, _) => { }).Build();

        var metadata = admin.GetMetadata("touched-first", TimeSpan.FromSeconds(10));

        Assert.Equal(4, metadata.Topics.Single().Partitions.Count);
        Assert.Equal(ErrorCode.TopicAlreadyExists,
            Assert.Throws<EmbeddedKafkaException>(() => cluster.CreateTopic("touched-first", 8)).Code);
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_reaching_librdkafka()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddedKafkaCluster.Start(0));
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerDown(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerUp(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerRtt(1, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 1, replicationFactor: 3));
        Assert.Throws<ArgumentException>(() => cluster.CreateTopic("bad name", 1));
        Assert.Throws<ArgumentException>(() => cluster.CreateTopic("", 1));
    }

    [Fact]
    public void The_loaded_librdkafka_reports_its_version()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", EmbeddedKafkaCluster.LibrdkafkaVersion);
    }
}
