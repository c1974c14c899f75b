using Confluent.Kafka;

namespace Otto.Streams.SerDes;

/// <summary>
/// Turns keys or values to bytes and back. The engine never passes null to a serde: a null key or value
/// (a tombstone) is null bytes on the wire, as in Kafka Streams.
/// </summary>
public interface ISerDes
{
    /// <summary>Serializes a non-null object of the serde's type.</summary>
    byte[] SerializeObject(object data, SerializationContext context);

    /// <summary>Deserializes non-null bytes to an object of the serde's type.</summary>
    object DeserializeObject(byte[] data, SerializationContext context);
}

/// <summary>A typed serde. Implementations throw on bytes they cannot read; the engine routes those records
/// to the configured deserialization exception handler (fail, log and continue, or dead-letter).</summary>
public interface ISerDes<T> : ISerDes
{
    /// <summary>Serializes <paramref name="data"/>.</summary>
    byte[] Serialize(T data, SerializationContext context);

    /// <summary>Deserializes <paramref name="data"/>.</summary>
    T Deserialize(byte[] data, SerializationContext context);
}

/// <summary>Base class that bridges the typed and untyped views of a serde.</summary>
public abstract class SerDes<T> : ISerDes<T>
{
    /// <inheritdoc />
    public abstract byte[] Serialize(T data, SerializationContext context);

    /// <inheritdoc />
    public abstract T Deserialize(byte[] data, SerializationContext context);

    /// <inheritdoc />
    public byte[] SerializeObject(object data, SerializationContext context) => Serialize((T)data, context);

    /// <inheritdoc />
    public object DeserializeObject(byte[] data, SerializationContext context) =>
        Deserialize(data, context) ?? throw new InvalidOperationException($"{GetType().Name} deserialized non-null bytes to null.");
}
