using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>An enum value: a symbol of its schema.</summary>
public sealed record GenericEnum
{
    /// <summary>Creates the value; the symbol must be one of the schema's.</summary>
    /// <exception cref="AvroException">The schema has no such symbol.</exception>
    public GenericEnum(EnumSchema schema, string symbol)
    {
        Index = schema.IndexOf(symbol);
        if (Index < 0) throw new AvroException($"enum {schema.FullName} has no symbol '{symbol}'");
        Schema = schema;
        Symbol = symbol;
    }

    /// <summary>The enum's schema.</summary>
    public EnumSchema Schema { get; }

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The symbol's index in the schema.</summary>
    public int Index { get; }

    /// <summary>The symbol.</summary>
    public override string ToString() => Symbol;
}
