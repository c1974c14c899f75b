using Confluent.Kafka;
using Otto.Streams.State;

namespace Otto.Streams.Runtime;

/// <summary>
/// Owns a task's stores: initializes them, routes their changelog writes to the collector (partition = the
/// task's partition), restores them from their changelogs before processing starts, flushes and closes them.
/// </summary>
internal sealed class ProcessorStateManager : IStateStoreContext
{
    private readonly Dictionary<string, IStateStore> _stores = [];
    private readonly Dictionary<string, Action<byte[], byte[]?>> _restorers = [];
    private readonly HashSet<string> _logged = [];
    private readonly RecordCollector _collector;
    private readonly Func<long> _timestamp;

    public ProcessorStateManager(string applicationId, TaskId taskId, string stateDirectory, RecordCollector collector, Func<long> timestamp)
    {
        ApplicationId = applicationId;
        TaskId = taskId;
        StateDirectory = stateDirectory;
        _collector = collector;
        _timestamp = timestamp;
    }

    public string ApplicationId { get; }
    public TaskId TaskId { get; }
    public string StateDirectory { get; }

    public IEnumerable<IStateStore> Stores => _stores.Values;

    public static string ChangelogTopicFor(string applicationId, string storeName) => $"{applicationId}-{storeName}-changelog";

    public string ChangelogTopic(string storeName) => ChangelogTopicFor(ApplicationId, storeName);

    /// <summary>Builds and initializes the task's stores.</summary>
    public void InitializeStores(IEnumerable<IStoreBuilder> builders)
    {
        foreach (var builder in builders)
        {
            var store = builder.Build();
            _stores.Add(builder.Name, store);
            if (builder.LoggingEnabled) _logged.Add(builder.Name);
            store.Init(this);
        }
    }

    public void Register(IStateStore store, Action<byte[], byte[]?> restore) => _restorers[store.Name] = restore;

    public void LogChange(string storeName, byte[] key, byte[]? value) =>
        _collector.SendRaw(ChangelogTopic(storeName), TaskId.Partition, key, value, _timestamp(), null);

    public IStateStore GetStore(string name) =>
        _stores.TryGetValue(name, out var store)
            ? store
            : throw new InvalidOperationException($"Task {TaskId} has no store named '{name}'.");

    /// <summary>Replays each logged store's changelog partition into the store; returns the records applied.</summary>
    public long Restore(IChangelogReader reader)
    {
        long restored = 0;
        foreach (var name in _logged)
        {
            if (!_restorers.TryGetValue(name, out var apply))
                throw new InvalidOperationException($"Store '{name}' did not register for restoration in Init.");
            restored += reader.Restore(new TopicPartition(ChangelogTopic(name), TaskId.Partition), apply);
        }
        return restored;
    }

    public void Flush()
    {
        foreach (var store in _stores.Values) store.Flush();
    }

    public void Close()
    {
        foreach (var store in _stores.Values.Where(s => s.IsOpen)) store.Close();
    }
}
