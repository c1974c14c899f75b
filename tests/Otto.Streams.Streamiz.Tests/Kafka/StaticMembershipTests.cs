using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Static membership through Otto's supplier: Streamiz 1.8 hands <c>main.consumer.group.instance.id</c> to every
/// stream thread's consumer as it is, and members sharing an id fence each other.</summary>
public sealed class StaticMembershipTests : IDisposable
{
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();

    [Fact]
    public void Each_stream_threads_consumer_joins_as_the_instance_id_and_its_thread_index_and_no_other_consumer_does()
    {
        var consumers = ConsumersOfAStream(threads: 3, groupInstanceId: "otto-2");

        Assert.Equal(["otto-2-0", "otto-2-1", "otto-2-2"], consumers.Where(c => c.Kind == "main").Select(c => c.GroupInstanceId).Order());
        Assert.All(consumers.Where(c => c.Kind != "main"), c => Assert.Null(c.GroupInstanceId));
        Assert.Contains(consumers, c => c.Kind == "restore");
    }

    [Fact]
    public void Without_an_instance_id_no_consumer_has_one()
    {
        var consumers = ConsumersOfAStream(threads: 2, groupInstanceId: null);

        Assert.Equal(2, consumers.Count(c => c.Kind == "main"));
        Assert.All(consumers, c => Assert.Null(c.GroupInstanceId));
    }

    [Fact]
    public void A_consumer_built_from_the_main_consumers_settings_for_no_stream_thread_gets_no_instance_id()
    {
        var config = EmbeddedStreams.Config(_cluster, "static-other", NullLoggerFactory.Instance, Path.GetTempPath());
        config.AddConfig("main.consumer.group.instance.id", "otto-2");
        using var supplier = new OttoKafkaSupplier(config, _cluster);
        var consumerConfig = config.ToConsumerConfig("static-other-unassigned"); // as Streamiz's UnassignedStreamTask
        Assert.Equal("otto-2", consumerConfig.GroupInstanceId);

        using var consumer = supplier.GetConsumer(consumerConfig, null!);

        Assert.Null(consumerConfig.GroupInstanceId);
    }

    /// <summary>Static membership rests on this: a static member's graceful stop (Streamiz's Unsubscribe, then Close)
    /// sends no LeaveGroup (librdkafka skips it for a static member that is terminating, KIP-345), so the group does
    /// not rebalance before the member's session timeout, while a dynamic member's stop rebalances it at once. (librdkafka's
    /// mock has no more of static membership: a static member that comes back joins as a new member.)</summary>
    [Fact]
    public async Task A_stopped_static_member_is_noticed_only_after_its_session_timeout_a_dynamic_one_at_once()
    {
        var sessionTimeout = TimeSpan.FromSeconds(3);

        var dynamicNoticed = await DepartureNoticedAfterAsync(isStatic: false, sessionTimeout);
        var staticNoticed = await DepartureNoticedAfterAsync(isStatic: true, sessionTimeout);

        Assert.True(dynamicNoticed < sessionTimeout / 2, $"a dynamic member's stop was noticed after {dynamicNoticed.TotalSeconds:F2} s");
        Assert.True(staticNoticed > sessionTimeout * 0.8, $"a static member's stop was noticed after {staticNoticed.TotalSeconds:F2} s");
    }

    // Two single-thread workers share a topic's two partitions; one stops; how long until the other starts rebalancing.
    private async Task<TimeSpan> DepartureNoticedAfterAsync(bool isStatic, TimeSpan sessionTimeout)
    {
        var application = "leave-" + Guid.NewGuid().ToString("N")[..8];
        _cluster.CreateTopic(application + "-in", 2);
        var workers = new List<(KafkaStream Stream, RecordingSupplier Clients, string StateDir)>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var config = EmbeddedStreams.Config(_cluster, application, NullLoggerFactory.Instance, EmbeddedStreams.NewStateDirectory());
                config.SessionTimeoutMs = (int)sessionTimeout.TotalMilliseconds;
                if (isStatic) config.AddConfig("main.consumer.group.instance.id", $"worker-{i}");
                var builder = new StreamBuilder();
                builder.Stream<string, string>(application + "-in").Peek((_, _, _) => { });
                var clients = new RecordingSupplier(new OttoKafkaSupplier(config, _cluster));
                workers.Add((new KafkaStream(builder.Build(), config, clients), clients, config.StateDir));
            }

            var survivor = workers[0].Stream;
            var states = new ConcurrentQueue<(long At, KafkaStream.State State)>();
            survivor.StateChanged += (_, now) => states.Enqueue((Stopwatch.GetTimestamp(), now));
            foreach (var w in workers) await w.Stream.StartAsync();
            // The group is formed when each worker's consumer holds one of the two partitions.
            await Eventually.True(() => workers.All(w => w.Clients.MainConsumers.Single().Assignment.Count == 1) && states.LastOrDefault().State == KafkaStream.State.RUNNING,
                Eventually.DefaultTimeout, "each worker to hold one partition");

            var stoppedAt = Stopwatch.GetTimestamp();
            workers[1].Stream.Dispose();
            bool Rebalancing((long At, KafkaStream.State State) s) => s.At > stoppedAt && s.State == KafkaStream.State.REBALANCING;
            await Eventually.True(() => states.Any(Rebalancing), Eventually.DefaultTimeout, "the survivor to rebalance");
            return Stopwatch.GetElapsedTime(stoppedAt, states.First(Rebalancing).At);
        }
        finally
        {
            foreach (var (stream, _, stateDir) in workers)
            {
                stream.Dispose();
                Directory.Delete(stateDir, recursive: true);
            }
        }
    }

    // Builds a stream of `threads` stream threads (Streamiz creates each thread's clients in KafkaStream's constructor)
    // and returns the consumers it asked Otto's supplier for, with the group.instance.id each was built with.
    private List<(string Kind, string? GroupInstanceId)> ConsumersOfAStream(int threads, string? groupInstanceId)
    {
        var application = "static-" + Guid.NewGuid().ToString("N")[..8];
        var config = EmbeddedStreams.Config(_cluster, application, NullLoggerFactory.Instance, EmbeddedStreams.NewStateDirectory());
        config.NumStreamThreads = threads;
        if (groupInstanceId is not null) config.AddConfig("main.consumer.group.instance.id", groupInstanceId);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").To("out");
        builder.GlobalTable<string, string>("reference");
        using var supplier = new OttoKafkaSupplier(config, _cluster);
        var recording = new RecordingSupplier(supplier);
        using (new KafkaStream(builder.Build(), config, recording))
        {
        }

        Directory.Delete(config.StateDir, recursive: true);
        return [.. recording.Consumers];
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>Records each consumer's kind and the group.instance.id of the configuration it was built from (the supplier
    /// sets it in the configuration it gets).</summary>
    private sealed class RecordingSupplier(OttoKafkaSupplier inner) : IKafkaSupplier
    {
        public ConcurrentQueue<(string Kind, string? GroupInstanceId)> Consumers { get; } = new();

        public ConcurrentQueue<IConsumer<byte[], byte[]>> MainConsumers { get; } = new();

        public StreamMetricsRegistry MetricsRegistry
        {
            get => inner.MetricsRegistry;
            set => inner.MetricsRegistry = value;
        }

        public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener) =>
            Main(Record("main", config, inner.GetConsumer(config, rebalanceListener)));

        private IConsumer<byte[], byte[]> Main(IConsumer<byte[], byte[]> consumer)
        {
            MainConsumers.Enqueue(consumer);
            return consumer;
        }

        public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => Record("restore", config, inner.GetRestoreConsumer(config));

        public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => Record("global", config, inner.GetGlobalConsumer(config));

        public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => inner.GetProducer(config);

        public IAdminClient GetAdmin(AdminClientConfig config) => inner.GetAdmin(config);

        private IConsumer<byte[], byte[]> Record(string kind, ConsumerConfig config, IConsumer<byte[], byte[]> consumer)
        {
            Consumers.Enqueue((kind, config.GroupInstanceId));
            return consumer;
        }
    }
}
