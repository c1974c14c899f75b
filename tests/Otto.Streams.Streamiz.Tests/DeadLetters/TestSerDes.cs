using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

/// <summary>A failure that is not the record's fault, the way Otto's RegistryFailureException is one.</summary>
internal sealed class RegistryDownException(string message) : StreamsException(message);

/// <summary>Decimal numbers as UTF-8 text. A value that is not a number fails the record (FormatException); the
/// value "registry-down" fails like the schema registry being unreachable (a StreamsException).</summary>
internal sealed class NumberSerDes : AbstractSerDes<int>
{
    public override byte[] Serialize(int data, SerializationContext context) =>
        Encoding.UTF8.GetBytes(data.ToString(CultureInfo.InvariantCulture));

    public override int Deserialize(byte[] data, SerializationContext context)
    {
        var text = Encoding.UTF8.GetString(data);
        return text == "registry-down"
            ? throw new RegistryDownException($"Schema registry unreachable while reading {context.Topic}")
            : int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
