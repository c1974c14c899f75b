using System.Text;
using Confluent.Kafka;

namespace Otto.Streams.SerDes;

/// <summary>UTF-8 strings, byte-compatible with Kafka's StringSerializer. Invalid UTF-8 is an error, not
/// a string with replacement characters, so that a poison key is dead-lettered rather than mis-keyed.</summary>
public sealed class StringSerDes : SerDes<string>
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public override byte[] Serialize(string data, SerializationContext context) => Strict.GetBytes(data);

    /// <inheritdoc />
    public override string Deserialize(byte[] data, SerializationContext context) => Strict.GetString(data);
}
