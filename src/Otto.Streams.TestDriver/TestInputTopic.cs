using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.TestDriver;

/// <summary>Pipes typed records into a topic of the topology under test.</summary>
public sealed class TestInputTopic<K, V>
{
    private readonly TopologyTestDriver _driver;
    private readonly string _topic;
    private readonly ISerDes<K> _keySerDes;
    private readonly ISerDes<V> _valueSerDes;

    internal TestInputTopic(TopologyTestDriver driver, string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    {
        (_driver, _topic, _keySerDes, _valueSerDes) = (driver, topic, keySerDes, valueSerDes);
    }

    /// <summary>Pipes one record; the timestamp defaults to the driver's wall clock.</summary>
    public void PipeInput(K key, V value, DateTimeOffset? timestamp = null, Headers? headers = null)
    {
        headers ??= [];
        var keyBytes = key is null ? null : _keySerDes.Serialize(key, new SerializationContext(MessageComponentType.Key, _topic, headers));
        var valueBytes = value is null ? null : _valueSerDes.Serialize(value, new SerializationContext(MessageComponentType.Value, _topic, headers));
        PipeRaw(keyBytes, valueBytes, timestamp, headers);
    }

    /// <summary>Pipes raw bytes, e.g. a poison record that no serde would produce.</summary>
    public void PipeRaw(byte[]? key, byte[]? value, DateTimeOffset? timestamp = null, Headers? headers = null) =>
        _driver.Pipe(_topic, key, value, (timestamp ?? _driver.Clock.GetUtcNow()).ToUnixTimeMilliseconds(), headers);
}
