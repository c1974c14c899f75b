using Confluent.Kafka;
using Otto.Streams.Errors;
using Otto.Streams.Query;
using Otto.Streams.SerDes;

namespace Otto.Streams;

/// <summary>Interactive queries: read-only views of this instance's stores, and which instance holds what.</summary>
public sealed partial class KafkaStream
{
    /// <summary>The topic where instances with an <see cref="StreamConfig.ApplicationServer"/> publish it and their
    /// partitions: <c>{applicationId}-instances</c> (created at start when missing, one partition).</summary>
    public static string InstancesTopicFor(string applicationId) => InstanceDirectory.TopicFor(applicationId);

    /// <summary>The source partitions this instance's threads are assigned now.</summary>
    private IReadOnlyList<TopicPartition> LocalAssignment() =>
        _threads.SelectMany(t => t.Tasks).SelectMany(t => t.Partitions).OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value).ToList();

    /// <summary>A read-only view of a store over every task of this instance that holds it (interactive queries), e.g.
    /// <c>stream.Store(StoreQueryParameters.FromNameAndType("payments", QueryableStoreTypes.KeyValueStore&lt;string, PaymentState&gt;()))</c>.
    /// The view may be kept: each read asks for the current tasks' stores, and throws
    /// <see cref="InvalidStateStoreException"/> while the stream is not running (rebalancing, restoring, closing).
    /// A key of a partition another instance holds reads as absent here: see <see cref="QueryMetadataForKey{K}"/>.</summary>
    /// <exception cref="InvalidStateStoreException">The topology has no such store, the store is of another type,
    /// or the stream is not running.</exception>
    public TStore Store<TStore>(StoreQueryParameters<TStore> parameters)
    {
        var provider = new LocalStores(this, parameters.StoreName);
        if (!_metadata.HasStore(parameters.StoreName))
            throw new InvalidStateStoreException($"The topology has no store named '{parameters.StoreName}' " +
                $"(its stores: {string.Join(", ", _metadata.StoreNames.Order(StringComparer.Ordinal))}).", State, unknownStore: true);
        if (provider.Stores().FirstOrDefault(s => !parameters.StoreType.Accepts(s)) is { } other)
            throw new InvalidStateStoreException($"Store '{parameters.StoreName}' is a {other.GetType().Name}, which the queried store type does not accept.",
                State, unknownStore: true);
        return parameters.StoreType.Create(provider);
    }

    /// <summary>Every instance of the application this one knows: itself first (always current), then those whose
    /// published entries are live (only with <see cref="StreamConfig.ApplicationServer"/>; see the instance
    /// directory's limits in README "Read side").</summary>
    public IReadOnlyList<StreamsMetadata> AllMetadata() => _metadata.All(LocalAssignment(), _directory?.LiveOthers() ?? [], _time.GetUtcNow());

    /// <summary>The instances whose tasks hold store <paramref name="storeName"/>.</summary>
    public IReadOnlyList<StreamsMetadata> AllMetadataForStore(string storeName) =>
        AllMetadata().Where(m => m.StateStoreNames.Contains(storeName)).ToList();

    /// <summary>Which instance holds <paramref name="key"/> of store <paramref name="storeName"/>: the key is serialized
    /// with <paramref name="keySerDes"/> and placed with <see cref="StreamConfig.Partitioner"/>, as the source topics'
    /// producers place it.</summary>
    /// <exception cref="InvalidStateStoreException">The topology has no such store, or the stream has not started.</exception>
    public KeyQueryMetadata QueryMetadataForKey<K>(string storeName, K key, ISerDes<K> keySerDes)
    {
        if (!_metadata.HasStore(storeName))
            throw new InvalidStateStoreException($"The topology has no store named '{storeName}'.", State, unknownStore: true);
        if (State == KafkaStreamState.Created)
            throw new InvalidStateStoreException("The stream has not started: partitions are not known yet.", State);
        return _metadata.ForKey(storeName, topic => keySerDes.Serialize(key, new SerializationContext(MessageComponentType.Key, topic)),
            _config.Partitioner, AllMetadata());
    }

    /// <summary>The stores of one name of the running tasks; nothing while the stream is not running.</summary>
    private sealed class LocalStores(KafkaStream stream, string name) : IStateStoreProvider
    {
        public string StoreName => name;
        public KafkaStreamState StreamState => stream.State;

        public IReadOnlyList<State.IStateStore> Stores()
        {
            var state = stream.State;
            if (state != KafkaStreamState.Running)
                throw new InvalidStateStoreException($"Store '{name}' cannot be queried while the stream is {state}" +
                    (state is KafkaStreamState.Rebalancing ? " (partitions moving or stores restoring); ask again shortly." : "."), state);
            return stream._threads.SelectMany(t => t.Tasks).Select(t => t.QueryableStore(name)).OfType<State.IStateStore>().ToList();
        }
    }
}
