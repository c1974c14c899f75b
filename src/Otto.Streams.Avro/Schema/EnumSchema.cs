namespace Otto.Streams.Avro.Schema;

/// <summary>An enum schema.</summary>
public sealed class EnumSchema : NamedSchema
{
    internal EnumSchema(string name, string? ns, string? doc, IReadOnlyList<string> aliases,
        IReadOnlyList<string> symbols, string? defaultSymbol)
        : base(AvroType.Enum, name, ns, doc, aliases)
    {
        Symbols = symbols;
        Default = defaultSymbol;
    }

    /// <summary>The symbols in declaration order; the binary encoding is the zero-based index.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The symbol a reader uses for a writer symbol it does not know, if declared.</summary>
    public string? Default { get; }

    /// <summary>Index of <paramref name="symbol"/>, or -1.</summary>
    public int IndexOf(string symbol)
    {
        for (var i = 0; i < Symbols.Count; i++)
        {
            if (Symbols[i] == symbol) return i;
        }
        return -1;
    }
}
