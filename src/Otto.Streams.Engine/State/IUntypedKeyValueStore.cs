namespace Otto.Streams.State;

/// <summary>The DSL's view of a typed key-value store: keys and values as objects, as they travel between nodes,
/// and an absent key read as null even when the value type is a struct (a count of 0 is not "no count").</summary>
internal interface IUntypedKeyValueStore : IStateStore
{
    /// <summary>The value, or null when the key is absent.</summary>
    object? Get(object key);

    /// <summary>Writes the value; null deletes.</summary>
    void Put(object key, object? value);
}
