using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Specific;

/// <summary>
/// The contract generated record types implement, so serdes read and write them through static members
/// without reflection. <see cref="Read"/> and <see cref="Write"/> use exactly <see cref="Schema"/>; data
/// written with another schema is resolved by the serde before it reaches <see cref="Read"/>.
/// </summary>
/// <typeparam name="TSelf">The generated type itself.</typeparam>
public interface IAvroRecord<TSelf> where TSelf : IAvroRecord<TSelf>
{
    /// <summary>The type's full, self-contained schema.</summary>
    static abstract RecordSchema Schema { get; }

    /// <summary>Decodes a value written with <see cref="Schema"/>.</summary>
    static abstract TSelf Read(AvroBinaryReader reader);

    /// <summary>Encodes this value with <see cref="Schema"/>.</summary>
    /// <exception cref="AvroException">A value does not fit its schema (e.g. a decimal with too many
    /// fractional digits, or a null in a non-nullable field).</exception>
    void Write(AvroBinaryWriter writer);
}
