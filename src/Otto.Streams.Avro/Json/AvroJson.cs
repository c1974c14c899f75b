using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Json;

/// <summary>
/// The Avro JSON encoding (specification 1.11, "JSON Encoding"), for tools: values in the generic representation
/// (see <see cref="Generic.GenericDatumWriter"/>) to and from JSON text. A non-null union value is wrapped in an
/// object naming its branch (<c>{"string": "x"}</c>, <c>{"Otto.Contracts.PaymentStatus": "ADDED"}</c>); bytes
/// and fixed are strings whose code points 0-255 are the bytes; logical types use their underlying type. JSON has
/// no NaN or infinities: float and double write them as the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public static class AvroJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = Compact with { Indented = true };

    /// <summary>The JSON encoding of <paramref name="value"/>; with <paramref name="readable"/>, a style for people
    /// (HTTP answers, logs) that <see cref="Read"/> does not take back: union values bare (<c>"EUR"</c>, not
    /// <c>{"string": "EUR"}</c>) and logical types as text (a decimal <c>"10.50"</c>, a timestamp
    /// <c>"2026-11-21T05:03:43.281Z"</c>, dates, times, uuids).</summary>
    /// <exception cref="AvroException">The value does not match the schema; the message names the path.</exception>
    public static string Write(AvroSchema schema, object? value, bool indented = false, bool readable = false)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            JsonDatumWriter.Write(json, schema, value, "$", readable);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a value in the JSON encoding into the generic representation. Record fields that are
    /// absent take their defaults; fields the schema does not have are an error.</summary>
    /// <exception cref="AvroException">Not JSON, or it does not match the schema; the message names the path.</exception>
    public static object? Read(AvroSchema schema, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AvroException($"not valid JSON: {e.Message}", e);
        }
        using (document) return JsonDatumReader.ReadDatum(schema, document.RootElement);
    }

    /// <summary>The name a union branch has in the JSON encoding: the full name of a named type, otherwise the
    /// type's name ("string", "array", "map", ...).</summary>
    public static string BranchName(AvroSchema branch) =>
        branch is NamedSchema named ? named.FullName : PrimitiveSchema.NameOf(branch.Type);
}
