using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.CatchUp;

/// <summary>
/// Streamiz 1.8 runs a task's wall-clock punctuations while the task is still restoring its stores: a task that takes
/// over partitions with nothing left to read must still not judge before its store is restored.
/// </summary>
public sealed class RestorationTests(ITestOutputHelper output) : IDisposable
{
    private const string App = "restoring";
    private const string Input = "facts";
    private const string Store = "state";
    private const int Restored = 15;

    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start(brokers: 2);
    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-catchup-").FullName;
    private readonly TestOutputLogger _log = new(output, LogLevel.Information);

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    [Fact]
    public async Task A_task_judges_nothing_while_its_store_restores_even_with_nothing_left_to_read()
    {
        var changelog = $"{App}-{Store}-changelog";
        _cluster.CreateTopic(Input, 1);
        _cluster.CreateTopic(changelog, 1, replicationFactor: 2);
        _cluster.SetPartitionLeader(changelog, 0, 2);
        using (var producer = EmbeddedStreams.Producer(_cluster))
        {
            // The previous owner's state, and its input, all processed and committed.
            for (var i = 0; i < Restored; i++)
            {
                EmbeddedStreams.Produce(producer, changelog, $"p{i}", EmbeddedStreams.Utf8("awaiting reply"));
                producer.Flush(TimeSpan.FromSeconds(10)); // each record its own batch
            }

            EmbeddedStreams.Produce(producer, Input, "p0", EmbeddedStreams.Utf8("asked"));
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        using (var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = App })
                   .SetLogHandler((_, _) => { }).Build())
        {
            consumer.Commit([new TopicPartitionOffset(Input, 0, 1)]);
        }

        // The changelog's leader is slow and the restore consumer fetches a record a request: restoring takes seconds.
        _cluster.SetBrokerRtt(2, TimeSpan.FromMilliseconds(150));
        var config = EmbeddedStreams.Config(_cluster, App, _log, _stateDir);
        config.MaxPartitionFetchBytes = 1;
        var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(config), _log);
        var judgments = new List<(bool CaughtUp, long StoreSize)>();
        var builder = new StreamBuilder();
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(Store), new StringSerDes(), new StringSerDes()));
        builder.Stream<string, string>(Input)
            .Process(ProcessorBuilder.New<string, string>().Processor<Judge>(catchUp, judgments).Build(), "judge", Store);
        using var stream = new KafkaStream(builder.Build(), config, new OttoKafkaSupplier(config, _cluster));
        catchUp.Watch(stream);

        await stream.StartAsync();
        Eventually.Blocking(() => Snapshot(judgments).Any(j => j.CaughtUp), TimeSpan.FromSeconds(60), "the task to catch up");

        var seen = Snapshot(judgments);
        output.WriteLine(string.Join(", ", seen.Select(j => $"{(j.CaughtUp ? "judged" : "waited")}@{j.StoreSize}")));
        Assert.Contains(seen, j => !j.CaughtUp && j.StoreSize < Restored); // Streamiz punctuated while restoring
        Assert.All(seen.Where(j => j.CaughtUp), j => Assert.Equal(Restored, j.StoreSize));
    }

    private static List<(bool CaughtUp, long StoreSize)> Snapshot(List<(bool CaughtUp, long StoreSize)> judgments)
    {
        lock (judgments)
        {
            return [.. judgments];
        }
    }

    /// <summary>Notes, at every wall-clock punctuation, whether the task is caught up and how much of its store it sees.</summary>
    private sealed class Judge : IProcessor<string, string>
    {
        private readonly TakeoverCatchUp? _catchUpFactory;
        private readonly List<(bool CaughtUp, long StoreSize)>? _judgments;
        private ProcessorContext<string, string> _context = null!;
        private TaskCatchUp _catchUp = null!;
        private IKeyValueStore<string, string> _store = null!;

        public Judge()
        {
        }

        public Judge(TakeoverCatchUp catchUp, List<(bool CaughtUp, long StoreSize)> judgments)
        {
            _catchUpFactory = catchUp;
            _judgments = judgments;
        }

        public void Init(ProcessorContext<string, string> context)
        {
            _context = context;
            _store = (IKeyValueStore<string, string>)context.GetStateStore(Store);
            _catchUp = _catchUpFactory!.Start(context, [Input], TimeSpan.FromSeconds(60), [Store]);
            // Longer than one stream-thread loop (PollMs 50 ms): Streamiz raises the restore start event in the loop after
            // the one that created the task, and a punctuation before it would not know of the restoration yet.
            context.Schedule(TimeSpan.FromMilliseconds(200), PunctuationType.PROCESSING_TIME, now =>
            {
                var judgment = (_catchUp.IsCaughtUp(now), _store.ApproximateNumEntries());
                lock (_judgments!)
                {
                    _judgments.Add(judgment);
                }
            });
        }

        public void Process(Record<string, string> record) => _catchUp.Processed(_context);

        public void Close() => _catchUp.Dispose();
    }
}
