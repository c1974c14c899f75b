using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>A fixed value: exactly the schema's size in bytes.</summary>
public sealed class GenericFixed
{
    /// <summary>Creates the value.</summary>
    /// <exception cref="AvroException">The byte count differs from the schema's size.</exception>
    public GenericFixed(FixedSchema schema, byte[] bytes)
    {
        if (bytes.Length != schema.Size)
            throw new AvroException($"fixed {schema.FullName} needs {schema.Size} bytes, got {bytes.Length}");
        Schema = schema;
        Bytes = bytes;
    }

    /// <summary>The fixed's schema.</summary>
    public FixedSchema Schema { get; }

    /// <summary>The bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The bytes in hex.</summary>
    public override string ToString() => Convert.ToHexString(Bytes);
}
