namespace Otto.Streams.Avro.Schema;

/// <summary>A primitive schema (null, boolean, int, long, float, double, bytes, string), optionally with a
/// logical type.</summary>
public sealed class PrimitiveSchema : AvroSchema
{
    private static readonly Dictionary<AvroType, PrimitiveSchema> Plain = new()
    {
        [AvroType.Null] = new(AvroType.Null, null),
        [AvroType.Boolean] = new(AvroType.Boolean, null),
        [AvroType.Int] = new(AvroType.Int, null),
        [AvroType.Long] = new(AvroType.Long, null),
        [AvroType.Float] = new(AvroType.Float, null),
        [AvroType.Double] = new(AvroType.Double, null),
        [AvroType.Bytes] = new(AvroType.Bytes, null),
        [AvroType.String] = new(AvroType.String, null),
    };

    private PrimitiveSchema(AvroType type, LogicalType? logicalType) : base(type, logicalType) { }

    /// <summary>The primitive schema of <paramref name="type"/> without a logical type.</summary>
    public static PrimitiveSchema Of(AvroType type) =>
        Plain.TryGetValue(type, out var s) ? s : throw new ArgumentException($"{type} is not a primitive type", nameof(type));

    internal static PrimitiveSchema WithLogicalType(AvroType type, LogicalType? logicalType) =>
        logicalType is null ? Of(type) : new PrimitiveSchema(type, logicalType);

    /// <summary>The spec's name for a primitive type ("int", "string", ...).</summary>
    public static string NameOf(AvroType type) => type.ToString().ToLowerInvariant();

    internal static bool TryParseName(string name, out AvroType type)
    {
        foreach (var t in Plain.Keys)
        {
            if (NameOf(t) == name)
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }
}
