using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.Runtime;

/// <summary>
/// The global tables' stores of one application instance: built once, read by every task of every stream
/// thread, written only by the global update loop. Reads and writes take one lock, so a lookup never sees a
/// half-applied update. No changelog: the source topic is re-read on start.
/// </summary>
internal sealed class GlobalStateStores
{
    private readonly Dictionary<string, (ISerDes Key, ISerDes Value, IStateStore Store)> _byTopic = [];
    private readonly Dictionary<string, IStateStore> _byName = [];
    private readonly Lock _lock = new();
    private readonly ErrorHandling _errors;
    private readonly string? _deadLetterTopic;
    private readonly ILogger _logger;

    private readonly GlobalStoreContext _context;

    /// <param name="topology">The topology whose global tables to hold.</param>
    /// <param name="config">Its configuration.</param>
    /// <param name="logger">Where skipped records are reported.</param>
    /// <param name="stateRoot">The state root; persistent global stores live in a directory of their own under it, removed on close.</param>
    /// <param name="memory">The instance's RocksDB memory budget.</param>
    public GlobalStateStores(Topology topology, StreamConfig config, ILogger logger, string stateRoot, Lazy<State.RocksDb.RocksDbMemory> memory)
    {
        (_errors, _deadLetterTopic, _logger) = (config.DeserializationErrors, config.DeadLetterTopic, logger);
        var context = _context = new GlobalStoreContext(config, stateRoot, memory);
        foreach (var table in topology.Builder.GlobalTables)
        {
            var (key, value, builder) = table.Resolve(config);
            var store = builder.Build();
            context.Topics[table.StoreName] = table.Topic;
            store.Init(context);
            _byTopic[table.Topic] = (key, value, store);
            _byName[table.StoreName] = store;
        }
    }

    public IReadOnlyCollection<string> Topics => _byTopic.Keys;

    public bool IsEmpty => _byTopic.Count == 0;

    /// <summary>A global store as tasks see it (lookups under the lock), or null when no global table has that name.</summary>
    public IStateStore? Get(string name) => _byName.TryGetValue(name, out var store) ? new Locked((IUntypedKeyValueStore)store, _lock) : null;

    /// <summary>The store itself, for single-threaded callers (the test driver's queries).</summary>
    public IStateStore? GetUnlocked(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Applies one record of a global topic: a value upserts, a tombstone deletes, a null key is skipped
    /// (and counted). Bytes that do not deserialize fail, are skipped with a warning, or go to the dead-letter topic
    /// through <paramref name="deadLetters"/>, as the deserialization setting says.</summary>
    public void Apply(ConsumeResult<byte[], byte[]> record, RecordCollector deadLetters)
    {
        var (topic, key, value, headers) = (record.Topic, record.Message.Key, record.Message.Value, record.Message.Headers);
        var (keySerDes, valueSerDes, store) = _byTopic[topic];
        if (key is null)
        {
            StreamsMetrics.RecordsDropped.Add(1, new KeyValuePair<string, object?>("reason", "null key"));
            return;
        }
        object k, v;
        try
        {
            k = keySerDes.DeserializeObject(key, new SerializationContext(MessageComponentType.Key, topic, headers));
            v = value is null ? null! : valueSerDes.DeserializeObject(value, new SerializationContext(MessageComponentType.Value, topic, headers));
        }
        catch (Exception e) when (e is not StreamsException && _errors == ErrorHandling.DeadLetter)
        {
            deadLetters.SendRaw(_deadLetterTopic!, key, value, record.Message.Timestamp.UnixTimestampMs,
                DeadLetterHeaders.For(record, "deserialization", "global", e));
            StreamsMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("stage", "deserialization"), new KeyValuePair<string, object?>("topic", topic));
            _logger.LogWarning("Global table of {Topic}: a record that does not deserialize went to {Dlq}: {Error}", topic, _deadLetterTopic, e.Message);
            return;
        }
        catch (Exception e) when (e is not StreamsException && _errors == ErrorHandling.LogAndContinue)
        {
            StreamsMetrics.RecordsDropped.Add(1, new KeyValuePair<string, object?>("reason", "deserialization"));
            _logger.LogWarning("Global table of {Topic}: skipped a record that does not deserialize: {Error}", topic, e.Message);
            return;
        }
        catch (Exception e) when (e is not StreamsException)
        {
            throw new StreamsException($"Global table of {topic}: the record at {record.TopicPartitionOffset} does not deserialize", e);
        }
        lock (_lock) ((IUntypedKeyValueStore)store).Put(k, v);
    }

    public void Close()
    {
        foreach (var store in _byName.Values.Where(s => s.IsOpen)) store.Close();
        if (Directory.Exists(_context.StateDirectory)) Directory.Delete(_context.StateDirectory, recursive: true);
    }

    private sealed class Locked(IUntypedKeyValueStore inner, Lock gate) : IUntypedKeyValueStore
    {
        public string Name => inner.Name;
        public bool Persistent => inner.Persistent;
        public bool IsOpen => inner.IsOpen;
        public void Init(IStateStoreContext context) => throw new InvalidOperationException("Global stores are initialized once, by the instance.");
        public void Flush() { }
        public void Close() { }

        public object? Get(object key)
        {
            lock (gate) return inner.Get(key);
        }

        public void Put(object key, object? value) => throw new InvalidOperationException($"Global store {Name} is read-only for tasks; write to its topic.");
    }

    /// <summary>Global stores keep no changelog and restore nothing: their topic is read from the start on every start,
    /// into a directory of this instance's own (so instances sharing a state root never share one).</summary>
    private sealed class GlobalStoreContext(StreamConfig config, string stateRoot, Lazy<State.RocksDb.RocksDbMemory> memory) : IStateStoreContext
    {
        public Dictionary<string, string> Topics { get; } = [];
        public string ApplicationId => config.ApplicationId;
        public TaskId TaskId => new(-1, -1);
        public string StateDirectory { get; } = Path.Combine(stateRoot, config.ApplicationId, $"global-{Guid.NewGuid():N}");
        public State.RocksDb.RocksDbMemory StoreMemory => memory.Value;
        public void Register(IStateStore store, Action<byte[], byte[]?> restore) { }
        public void LogChange(string storeName, byte[] key, byte[]? value) =>
            throw new InvalidOperationException($"Global store {storeName} has no changelog; its topic is its changelog.");
        public string ChangelogTopic(string storeName) => Topics[storeName];
    }
}
