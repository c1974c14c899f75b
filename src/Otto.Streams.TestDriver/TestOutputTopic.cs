using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.TestDriver;

/// <summary>Reads, in order, what the topology wrote to a topic. Each record is read once.</summary>
public sealed class TestOutputTopic<K, V>
{
    private readonly List<Message<byte[], byte[]>> _log;
    private readonly string _topic;
    private readonly ISerDes<K> _keySerDes;
    private readonly ISerDes<V> _valueSerDes;
    private int _position;

    internal TestOutputTopic(List<Message<byte[], byte[]>> log, string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    {
        (_log, _topic, _keySerDes, _valueSerDes) = (log, topic, keySerDes, valueSerDes);
    }

    /// <summary>True when every record written so far has been read.</summary>
    public bool IsEmpty => _position >= _log.Count;

    /// <summary>How many records are left to read.</summary>
    public int QueueSize => _log.Count - _position;

    /// <summary>The next record; throws when there is none.</summary>
    public TestRecord<K, V> ReadRecord()
    {
        if (IsEmpty) throw new InvalidOperationException($"No more records in output topic {_topic}.");
        var m = _log[_position++];
        var headers = m.Headers ?? [];
        var key = m.Key is null ? default! : _keySerDes.Deserialize(m.Key, new SerializationContext(MessageComponentType.Key, _topic, headers));
        var value = m.Value is null ? default! : _valueSerDes.Deserialize(m.Value, new SerializationContext(MessageComponentType.Value, _topic, headers));
        return new TestRecord<K, V>(key, value, m.Timestamp.UnixTimestampMs, headers);
    }

    /// <summary>Reads every remaining record.</summary>
    public IReadOnlyList<TestRecord<K, V>> ReadRecordsToList()
    {
        var records = new List<TestRecord<K, V>>();
        while (!IsEmpty) records.Add(ReadRecord());
        return records;
    }

    /// <summary>Reads every remaining value.</summary>
    public IReadOnlyList<V> ReadValuesToList() => ReadRecordsToList().Select(r => r.Value).ToList();
}
