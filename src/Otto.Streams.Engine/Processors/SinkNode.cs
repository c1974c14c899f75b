using Otto.Streams.SerDes;

namespace Otto.Streams.Processors;

/// <summary>Writes records to a topic, fixed or chosen per record.</summary>
internal sealed class SinkNode(string name, Func<object?, object?, string> topicFor, ISerDes keySerDes, ISerDes valueSerDes) : ProcessorNode(name)
{
    public override void Process(object? key, object? value) =>
        Context.Collector.Send(topicFor(key, value), key, value, keySerDes, valueSerDes, Context.Timestamp, Context.Headers);
}
