namespace Otto.Streams.Avro.Schema;

/// <summary>A named schema: record, enum or fixed.</summary>
public abstract class NamedSchema : AvroSchema
{
    private protected NamedSchema(AvroType type, string name, string? ns, string? doc, IReadOnlyList<string> aliases,
        LogicalType? logicalType = null)
        : base(type, logicalType)
    {
        Name = name;
        Namespace = string.IsNullOrEmpty(ns) ? null : ns;
        Doc = doc;
        Aliases = aliases;
        FullName = Namespace is null ? Name : $"{Namespace}.{Name}";
    }

    /// <summary>The unqualified name.</summary>
    public string Name { get; }

    /// <summary>The namespace, or null for the null namespace.</summary>
    public string? Namespace { get; }

    /// <summary>Namespace and name joined by a dot.</summary>
    public string FullName { get; }

    /// <summary>The documentation string, if any.</summary>
    public string? Doc { get; }

    /// <summary>Alternate full names, used by schema resolution.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>True if <paramref name="fullName"/> is this schema's full name or one of its aliases.</summary>
    public bool IsNamed(string fullName) => FullName == fullName || Aliases.Contains(fullName);
}
