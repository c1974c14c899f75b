using Otto.Streams.SerDes;

namespace Otto.Streams.State.Window;

/// <summary>Builds window stores over a key-value bytes store supplier, so they follow the default store kind;
/// logged to a changelog by default (restoring replays the same bytes layout).</summary>
public sealed class WindowStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes,
    TimeSpan retention, bool retainDuplicates = false) : IStoreBuilder
{
    /// <inheritdoc />
    public string Name => supplier.Name;

    /// <inheritdoc />
    public bool LoggingEnabled { get; private set; } = true;

    /// <summary>Turns the changelog off.</summary>
    public WindowStoreBuilder<K, V> WithLoggingDisabled()
    {
        LoggingEnabled = false;
        return this;
    }

    /// <inheritdoc />
    public IStateStore Build()
    {
        var bytes = supplier.Get();
        if (LoggingEnabled) bytes = new ChangeLoggingKeyValueStore(bytes);
        return new WindowStore<K, V>(bytes, keySerDes, valueSerDes, (long)retention.TotalMilliseconds, retainDuplicates);
    }
}
