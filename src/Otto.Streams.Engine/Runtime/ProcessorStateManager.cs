using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Streams.Runtime;

/// <summary>
/// Owns a task's stores: opens them in the task directory, decides from the checkpoint where each changelog
/// must be replayed from, routes their changelog writes to the collector (partition = the task's partition),
/// flushes them, checkpoints the changelog offsets they hold, and closes them.
/// <para>A persistent store is trusted only up to a valid checkpoint: one whose offset for its changelog lies
/// within the changelog's current offsets. Without one (first start, crash under exactly-once, corrupt
/// file, a changelog that was recreated or truncated) its directory is wiped and it is rebuilt from the
/// changelog's start. In-memory stores always are.</para>
/// </summary>
internal sealed class ProcessorStateManager : IStateStoreContext, IStoreCacheContext
{
    private readonly List<CachingKeyValueStore> _caches = [];
    private readonly Dictionary<string, IStateStore> _stores = [];
    private readonly Dictionary<string, Action<byte[], byte[]?>> _restorers = [];
    private readonly List<ChangelogPartition> _changelogs = [];
    private readonly Dictionary<string, TopicPartition> _changelogPartitions = [];
    private readonly RecordCollector _collector;
    private readonly Func<long> _timestamp;
    private readonly Lazy<RocksDbMemory> _memory;
    private readonly bool _exactlyOnce;
    private readonly ILogger _logger;
    private Dictionary<TopicPartition, long>? _lastCheckpoint;

    public ProcessorStateManager(StreamConfig config, TaskId taskId, string stateDirectory, Lazy<RocksDbMemory> memory,
        RecordCollector collector, Func<long> timestamp, ILogger logger)
    {
        ApplicationId = config.ApplicationId;
        CacheMaxBytes = config.StatestoreCacheMaxBytes;
        TaskId = taskId;
        StateDirectory = stateDirectory;
        _memory = memory;
        _exactlyOnce = config.Guarantee != ProcessingGuarantee.AtLeastOnce;
        _collector = collector;
        _timestamp = timestamp;
        _logger = logger;
    }

    public string ApplicationId { get; }
    public TaskId TaskId { get; }
    public string StateDirectory { get; }
    public RocksDbMemory StoreMemory => _memory.Value;
    public long CacheMaxBytes { get; }

    public void AddCache(CachingKeyValueStore cache) => _caches.Add(cache);

    /// <summary>Writes the record caches of the stores down to them (and their changelogs) without syncing the
    /// stores: the test driver does this after every record, as Kafka Streams' does.</summary>
    public void FlushCaches()
    {
        foreach (var cache in _caches) cache.FlushCache();
    }

    public IEnumerable<IStateStore> Stores => _stores.Values;

    /// <summary>The changelog partitions to replay before the task may process, with where to start and stop.</summary>
    public IReadOnlyList<ChangelogPartition> Changelogs => _changelogs;

    public static string ChangelogTopicFor(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";

    public string ChangelogTopic(string storeName) => ChangelogTopicFor(ApplicationId, storeName);

    /// <summary>Builds and opens the task's stores and plans their restoration. <paramref name="watermarks"/>
    /// gives a changelog partition's current low and high offsets.</summary>
    public void InitializeStores(IEnumerable<IStoreBuilder> builders, Func<TopicPartition, WatermarkOffsets> watermarks)
    {
        var checkpoint = ReadCheckpoint();
        // Exactly-once: the store on disk may hold writes of an aborted transaction until the next clean
        // close, so the checkpoint must not survive a crash.
        if (_exactlyOnce) OffsetCheckpoint.Delete(StateDirectory);
        foreach (var builder in builders)
        {
            var store = builder.Build();
            if (!builder.LoggingEnabled)
            {
                Open(builder.Name, store, logged: false);
                continue;
            }
            var partition = new TopicPartition(ChangelogTopic(builder.Name), TaskId.Partition);
            _changelogPartitions[builder.Name] = partition;
            var offsets = watermarks(partition);
            long start = offsets.Low.Value;
            if (store.Persistent)
            {
                var why = CheckpointProblem(checkpoint, partition, offsets);
                if (why is null) start = checkpoint![partition];
                else Wipe(builder.Name, why);
                store = OpenPersistent(builder, store, ref start, offsets.Low.Value);
            }
            else
            {
                Open(builder.Name, store);
            }
            _changelogs.Add(new ChangelogPartition(builder.Name, partition, _restorers[builder.Name], start, offsets.High.Value));
        }
    }

    // Why the checkpoint cannot be trusted for this changelog partition, or null when it can.
    private static string? CheckpointProblem(Dictionary<TopicPartition, long>? checkpoint, TopicPartition partition, WatermarkOffsets offsets)
    {
        if (checkpoint is null) return "there is no valid checkpoint";
        if (!checkpoint.TryGetValue(partition, out var offset)) return "the checkpoint does not cover it";
        if (offset > offsets.High.Value) return $"the checkpointed offset {offset} is beyond the changelog's end {offsets.High.Value}";
        if (offset < offsets.Low.Value) return $"the checkpointed offset {offset} is before the changelog's start {offsets.Low.Value}";
        return null;
    }

    private Dictionary<TopicPartition, long>? ReadCheckpoint()
    {
        try
        {
            return _lastCheckpoint = OffsetCheckpoint.Read(StateDirectory);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            _logger.LogWarning("Task {Task}: ignoring its checkpoint ({Error}); its persistent stores are rebuilt from their changelogs", TaskId, e.Message);
            OffsetCheckpoint.Delete(StateDirectory);
            return null;
        }
    }

    // A store directory RocksDB cannot open (corrupt, foreign) is wiped once and the store rebuilt from its changelog.
    private IStateStore OpenPersistent(IStoreBuilder builder, IStateStore store, ref long start, long changelogStart)
    {
        try
        {
            Open(builder.Name, store);
            return store;
        }
        catch (Exception e) when (e is RocksDbException or IOException)
        {
            _stores.Remove(builder.Name);
            Wipe(builder.Name, $"it cannot be opened: {e.Message}");
            start = changelogStart;
            var fresh = builder.Build();
            Open(builder.Name, fresh);
            return fresh;
        }
    }

    private void Open(string name, IStateStore store, bool logged = true)
    {
        _stores[name] = store;
        store.Init(this);
        if (logged && !_restorers.ContainsKey(name))
            throw new InvalidOperationException($"Store '{name}' did not register for restoration in Init.");
    }

    private void Wipe(string storeName, string why)
    {
        var directory = Path.Combine(StateDirectory, storeName);
        if (Directory.Exists(directory) || File.Exists(directory))
            _logger.LogWarning("Task {Task}: wiping store {Store} at {Directory} and restoring it from its changelog's start, because {Why}",
                TaskId, storeName, directory, why);
        if (File.Exists(directory)) File.Delete(directory);
        else if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    public void Register(IStateStore store, Action<byte[], byte[]?> restore) => _restorers[store.Name] = restore;

    public void LogChange(string storeName, byte[] key, byte[]? value) =>
        _collector.SendRaw(ChangelogPartitionOf(storeName), key, value, _timestamp(), null);

    // Looked up, not built: a changelog write per store update must not format the topic name each time.
    private TopicPartition ChangelogPartitionOf(string storeName) =>
        _changelogPartitions.TryGetValue(storeName, out var partition)
            ? partition
            : _changelogPartitions[storeName] = new TopicPartition(ChangelogTopic(storeName), TaskId.Partition);

    public IStateStore GetStore(string name) =>
        _stores.TryGetValue(name, out var store)
            ? store
            : throw new InvalidOperationException($"Task {TaskId} has no store named '{name}'.");

    public void Flush()
    {
        foreach (var store in _stores.Values) store.Flush();
    }

    /// <summary>After a commit (stores flushed, output acknowledged): records the changelog offsets the
    /// persistent stores now hold. Not under exactly-once, where only a clean close checkpoints.</summary>
    public void Checkpoint()
    {
        if (!_exactlyOnce) WriteCheckpoint();
    }

    private void WriteCheckpoint()
    {
        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var changelog in _changelogs.Where(c => _stores[c.Store].Persistent))
        {
            var produced = _collector.ProducedOffset(changelog.Partition);
            offsets[changelog.Partition] = Math.Max(changelog.Position, produced is { } lastSent ? lastSent + 1 : 0);
        }
        if (offsets.Count == 0 || (_lastCheckpoint is { } last && last.Count == offsets.Count && !offsets.Except(last).Any())) return;
        try
        {
            OffsetCheckpoint.Write(StateDirectory, offsets);
            _lastCheckpoint = offsets;
        }
        catch (IOException e)
        {
            // The next start then restores more of the changelog; nothing is lost.
            _logger.LogWarning("Task {Task}: could not write its checkpoint: {Error}", TaskId, e.Message);
        }
    }

    /// <summary>Closes the stores; a clean close (everything flushed and acknowledged) first flushes them and
    /// writes the checkpoint, so the next start replays only what comes after.</summary>
    public void Close(bool clean)
    {
        if (clean)
        {
            Flush();
            WriteCheckpoint();
        }
        foreach (var store in _stores.Values.Where(s => s.IsOpen)) store.Close();
    }
}

/// <summary>One changelog partition of a task's store: its restore callback, where restoration starts and
/// ends, and how far it got.</summary>
internal sealed class ChangelogPartition(string store, TopicPartition partition, Action<byte[], byte[]?> apply, long start, long end)
{
    public string Store { get; } = store;
    public TopicPartition Partition { get; } = partition;
    public long StartOffset { get; } = start;

    /// <summary>The changelog's end when the task opened: restoration is done on reaching it.</summary>
    public long EndOffset { get; } = end;

    /// <summary>The next offset to restore; after restoration, the offset the store holds the changelog up to.</summary>
    public long Position { get; private set; } = start;

    public long Restored { get; private set; }
    public bool Completed => _endReached || Position >= EndOffset;
    private bool _endReached;

    public void Apply(byte[] key, byte[]? value, long offset)
    {
        apply(key, value);
        Position = offset + 1;
        Restored++;
    }

    /// <summary>The consumer reached the partition's end at <paramref name="endOffset"/> before <see cref="EndOffset"/>
    /// (its last offsets hold no records, e.g. transaction markers).</summary>
    public void MarkEndReached(long endOffset)
    {
        Position = Math.Max(Position, endOffset);
        _endReached = true;
    }
}
