using System.Collections;

namespace Otto.Streams.State;

/// <summary>An <see cref="IKeyValueIterator{K,V}"/> over an enumerable, with an optional release action.</summary>
internal sealed class KeyValueIterator<K, V>(IEnumerable<KeyValuePair<K, V>> source, Action? onDispose = null) : IKeyValueIterator<K, V>
{
    private bool _disposed;

    public IEnumerator<KeyValuePair<K, V>> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return source.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        onDispose?.Invoke();
    }
}
