using System.Text;

namespace Otto.Streams.Avro.Schema;

/// <summary>
/// An Avro schema. Instances are immutable once parsed; use <see cref="Parse(string)"/> to create them.
/// </summary>
public abstract class AvroSchema
{
    private string? _canonicalForm;
    private long? _fingerprint;

    private protected AvroSchema(AvroType type, LogicalType? logicalType = null)
    {
        Type = type;
        LogicalType = logicalType;
    }

    /// <summary>The schema's type.</summary>
    public AvroType Type { get; }

    /// <summary>The valid logical type annotating this schema, if any.</summary>
    public LogicalType? LogicalType { get; }

    /// <summary>Parses a self-contained schema.</summary>
    /// <exception cref="AvroSchemaException">The JSON is not a valid Avro schema.</exception>
    public static AvroSchema Parse(string json) => Parse(json, new SchemaNames());

    /// <summary>
    /// Parses a schema that may reference named types already in <paramref name="names"/> (e.g. parsed from
    /// other files). On success the named types it defines are added to <paramref name="names"/>; on failure
    /// nothing is added, so the caller can retry later.
    /// </summary>
    /// <exception cref="AvroSchemaException">The JSON is not a valid Avro schema.</exception>
    public static AvroSchema Parse(string json, SchemaNames names) => SchemaParser.Parse(json, names);

    /// <summary>
    /// The schema as JSON with every named type defined inline at its first use (self-contained, suitable for
    /// registering with a schema registry). Keeps docs, defaults, aliases and logical types.
    /// </summary>
    public string ToJson() => SchemaJsonWriter.Write(this, canonical: false);

    /// <summary>The Parsing Canonical Form of the spec.</summary>
    public string ToCanonicalForm() => _canonicalForm ??= SchemaJsonWriter.Write(this, canonical: true);

    /// <summary>The CRC-64-AVRO (Rabin) fingerprint of the Parsing Canonical Form.</summary>
    public long Fingerprint => _fingerprint ??= RabinFingerprint.Compute(Encoding.UTF8.GetBytes(ToCanonicalForm()));

    /// <summary>True when every value of this schema encodes to zero bytes: null, fixed(0), and records whose
    /// fields all do. Readers need it to bound arrays of such items, whose count no input length limits.</summary>
    public bool EncodesToZeroBytes => _zeroBytes ??= ZeroBytes(this, []);

    private bool? _zeroBytes;

    private static bool ZeroBytes(AvroSchema s, HashSet<AvroSchema> visiting) => s switch
    {
        { Type: AvroType.Null } => true,
        FixedSchema f => f.Size == 0,
        // A record met again while checking its own fields recurses without end in data, so only a union or array
        // (never zero bytes) can end it: it is not zero-size.
        RecordSchema r => visiting.Add(r) && r.Fields.All(f => ZeroBytes(f.Schema, visiting)) && visiting.Remove(r),
        _ => false,
    };

    /// <summary>Returns <see cref="ToJson"/>.</summary>
    public override string ToString() => ToJson();
}
