using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.Processors;

/// <summary>Where records of one or more topics enter a sub-topology: deserializes key and value.</summary>
internal sealed class SourceNode(string name, IReadOnlyList<string> topics, ISerDes keySerDes, ISerDes valueSerDes) : ProcessorNode(name)
{
    public IReadOnlyList<string> Topics { get; } = topics;

    public (object? Key, object? Value) Deserialize(string topic, byte[]? key, byte[]? value, Headers? headers) =>
        (key is null ? null : keySerDes.DeserializeObject(key, new SerializationContext(MessageComponentType.Key, topic, headers)),
         value is null ? null : valueSerDes.DeserializeObject(value, new SerializationContext(MessageComponentType.Value, topic, headers)));

    public override void Process(object? key, object? value) => Forward(key, value);
}
