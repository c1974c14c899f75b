using Microsoft.Extensions.Logging.Abstractions;
using System.Collections.Concurrent;
using System.Text;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.ExactlyOnce;
using DbOptions = RocksDbSharp.DbOptions;
using RocksDbHandle = RocksDbSharp.RocksDb;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using Otto.Streams.Streamiz.Tests.Kafka;

namespace Otto.Streams.Streamiz.Tests.ExactlyOnce;

/// <summary>
/// Restarts of an EXACTLY_ONCE KafkaStream with a RocksDB store on the embedded cluster, with and without the guard.
/// An unclean shutdown is stood in for by a run whose clean close is not marked, plus a write put straight into a
/// task's RocksDB store after it: the write of a transaction that never committed, as a crash can leave on disk.
/// </summary>
public sealed class ExactlyOnceRestartTests : IDisposable
{
    private const string Input = "pc.qa.pmt.fct.cpr.PaymentAdded";
    private const string Store = "latest-payment";
    private const int Partitions = 2;
    private const string Ghost = "uncommitted-payment";
    private static readonly string[] Keys = Enumerable.Range(0, 20).Select(i => $"payment-{i:00}").ToArray();

    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    // Exactly-once starts (transactions initialised per task) and restores are slow on 2 busy cores.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _stateDir = EmbeddedStreams.NewStateDirectory();
    private readonly string _applicationId = $"otto-eos-{Guid.NewGuid():N}"[..20];

    public ExactlyOnceRestartTests()
    {
        _cluster.CreateTopic(Input, Partitions);
        // Streamiz's AdminClient cannot create internal topics on the mock: create the changelog first.
        _cluster.CreateTopic($"{_applicationId}-{Store}-changelog", Partitions);
        EmbeddedStreams.Produce(_cluster, Input, Keys.Select(k => KeyValuePair.Create(k, $"{k}-added")));
    }

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    private StreamConfig Config() => EmbeddedStreams.Config(_cluster, _applicationId, NullLoggerFactory.Instance, _stateDir, ProcessingGuarantee.EXACTLY_ONCE);

    private string ApplicationDir => Path.Combine(_stateDir, _applicationId);

    private static Topology LatestPaymentTable()
    {
        var builder = new StreamBuilder();
        // Last value wins: reprocessing the same input (the mock drops transactional offsets) rewrites the same values.
        builder.Stream<string, string>(Input).GroupByKey().Reduce((_, newer) => newer, RocksDb.As<string, string>(Store));
        return builder.Build();
    }

    private sealed record Run(long Restored, IReadOnlyCollection<long> RestoreStartOffsets, bool CheckpointOnDiskWhileRunning, string? Ghost);

    /// <summary>Starts the stream, waits until it restored and holds every payment, looks at it, then disposes it.</summary>
    private Run RunOnce(ExactlyOnceStateGuard? guard = null)
    {
        var restored = new ConcurrentDictionary<int, long>();
        var starts = new ConcurrentDictionary<int, long>();
        var running = false;
        using var stream = new KafkaStream(LatestPaymentTable(), Config());
        guard?.Watch(stream);
        stream.StateChanged += (_, state) => running = state == KafkaStream.State.RUNNING;
        stream.OnRestoreStartEvent += (partition, _, start, _) => starts[partition.Partition.Value] = start;
        stream.OnRestoreEndEvent += (partition, _, total) => restored[partition.Partition.Value] = total;

        stream.StartAsync().GetAwaiter().GetResult();
        Eventually.Blocking(() => running && restored.Count == Partitions, Wait, "the stream restored both tasks and runs");
        var table = stream.Store(StoreQueryParameters.FromNameAndType(Store, QueryableStoreTypes.KeyValueStore<string, string>()));
        Eventually.Blocking(() => Keys.All(k => table.Get(k) == $"{k}-added"), Wait, "every payment in the store");

        return new Run(
            restored.Values.Sum(),
            starts.Values.ToList(),
            File.Exists(Path.Combine(ApplicationDir, "0-0", ".checkpoint")),
            table.Get(Ghost));
    }

    /// <summary>Puts a key no committed record ever wrote into every task's store, with a well-formed value.</summary>
    private void WriteUncommittedRecordIntoRocksDb()
    {
        var stores = Directory.GetDirectories(ApplicationDir, "0-*").Select(task => Path.Combine(task, "rocksdb", Store)).ToList();
        Assert.Equal(Partitions, stores.Count);
        foreach (var path in stores)
        {
            using var db = RocksDbHandle.Open(new DbOptions(), path);
            using var iterator = db.NewIterator();
            iterator.SeekToFirst();
            Assert.True(iterator.Valid(), $"no records in {path}");
            db.Put(Encoding.UTF8.GetBytes(Ghost), iterator.Value());
        }
    }

    [Fact]
    public void Streamiz_keeps_the_checkpoint_on_disk_while_an_exactly_once_task_runs()
    {
        // Pins what the guard exists for: Kafka Streams deletes the checkpoint under EOS once loaded, so a crash
        // leaves none and the task is wiped. If this starts failing, Streamiz changed and the guard may be moot.
        RunOnce();

        var second = RunOnce();

        Assert.True(second.CheckpointOnDiskWhileRunning);
    }

    [Fact]
    public void Without_the_guard_an_uncommitted_write_survives_the_restart()
    {
        RunOnce();
        WriteUncommittedRecordIntoRocksDb();

        var restart = RunOnce();

        // Streamiz trusts the checkpoint of the last close: nothing restored, the uncommitted write is served.
        Assert.Equal(0, restart.Restored);
        Assert.NotNull(restart.Ghost);
    }

    [Fact]
    public void After_an_unclean_shutdown_the_guard_wipes_task_state_and_Streamiz_restores_it_from_the_changelog()
    {
        Assert.Equal(StateDirectoryVerdict.NoState, new ExactlyOnceStateGuard(Config()).PrepareForStart());
        RunOnce();
        // No MarkCleanShutdown: the process died before its close finished.
        WriteUncommittedRecordIntoRocksDb();

        var guard = new ExactlyOnceStateGuard(Config());
        Assert.Equal(StateDirectoryVerdict.Wiped, guard.PrepareForStart());
        var restart = RunOnce(guard);

        Assert.Null(restart.Ghost);
        Assert.Equal(Keys.Length, restart.Restored);
        Assert.All(restart.RestoreStartOffsets, offset => Assert.Equal(Confluent.Kafka.Offset.Beginning.Value, offset));
    }

    [Fact]
    public void After_a_clean_close_the_guard_keeps_task_state_and_nothing_is_restored()
    {
        var guard = new ExactlyOnceStateGuard(Config());
        Assert.Equal(StateDirectoryVerdict.NoState, guard.PrepareForStart());
        RunOnce(guard);
        Assert.True(guard.MarkCleanShutdown());

        var next = new ExactlyOnceStateGuard(Config());
        Assert.Equal(StateDirectoryVerdict.CleanShutdown, next.PrepareForStart());
        var restart = RunOnce(next);

        Assert.Equal(0, restart.Restored);
        Assert.All(restart.RestoreStartOffsets, offset => Assert.True(offset > 0, $"restore started at {offset}"));
    }
}
