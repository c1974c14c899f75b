namespace Otto.Streams.Avro.Schema;

/// <summary>
/// A logical type annotating a primitive or fixed schema. Only valid logical types are kept: the spec says an
/// invalid one (e.g. a decimal whose scale exceeds its precision) is ignored and the underlying type used.
/// </summary>
/// <param name="Name">The logicalType attribute, e.g. "decimal" or "timestamp-millis".</param>
/// <param name="Precision">Decimal precision (digits); 0 for other logical types.</param>
/// <param name="Scale">Decimal scale (fractional digits); 0 for other logical types.</param>
public sealed record LogicalType(string Name, int Precision = 0, int Scale = 0)
{
    /// <summary>The "decimal" logical type name.</summary>
    public const string DecimalName = "decimal";

    /// <summary>The "timestamp-millis" logical type name.</summary>
    public const string TimestampMillisName = "timestamp-millis";

    /// <summary>True for decimal (on bytes or fixed).</summary>
    public bool IsDecimal => Name == DecimalName;

    /// <summary>True for timestamp-millis (on long).</summary>
    public bool IsTimestampMillis => Name == TimestampMillisName;
}
