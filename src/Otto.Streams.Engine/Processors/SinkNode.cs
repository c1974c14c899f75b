using Otto.Streams.SerDes;

namespace Otto.Streams.Processors;

/// <summary>Writes records to a topic, fixed or chosen per record (from key, value and the record's source).</summary>
internal sealed class SinkNode(string name, Func<object?, object?, RecordMetadata?, string>? topicFor, string? topic, ISerDes keySerDes, ISerDes valueSerDes) : ProcessorNode(name)
{
    // A fixed topic skips the extractor, so the record's metadata is never built for it.
    public SinkNode(string name, string topic, ISerDes keySerDes, ISerDes valueSerDes) : this(name, null, topic, keySerDes, valueSerDes) { }

    public override void Process(object? key, object? value) =>
        Context.Collector.Send(topic ?? topicFor!(key, value, Context.RecordMetadata), key, value, keySerDes, valueSerDes, Context.Timestamp, Context.Headers);
}
