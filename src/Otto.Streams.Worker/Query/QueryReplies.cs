using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Json;
using Otto.Streams.Avro.Specific;
using Otto.Streams.Errors;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Query;

/// <summary>The read side's JSON: answers, errors (always <c>{"error": ...}</c> plus context), and records written by
/// the project's Avro JSON writer, so the shape of a model follows its schema with no field mapped by hand.</summary>
internal static class QueryReplies
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static HttpReply Json(int status, JsonObject body, string? servedBy = null) =>
        HttpReply.Json(status, body.ToJsonString(Options)) with
        {
            Headers = servedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [InstanceClient.ServedByHeader] = servedBy },
        };

    public static HttpReply Error(int status, string message, JsonObject? context = null, string? servedBy = null)
    {
        var body = new JsonObject { ["error"] = message };
        foreach (var (name, value) in context ?? []) body[name] = value?.DeepClone();
        return Json(status, body, servedBy);
    }

    public static HttpReply BadRequest(string message) => Error(400, message);

    /// <summary>503 with the stream's state: the store cannot be read now, asking again later may work.</summary>
    public static HttpReply Unavailable(string message, KafkaStreamState state) =>
        Error(503, message, new JsonObject { ["state"] = state.ToString() });

    public static HttpReply Unavailable(InvalidStateStoreException e) =>
        e.UnknownStore ? Error(500, e.Message) : Unavailable(e.Message, e.StreamState);

    /// <summary>A generated record in AvroJson's readable style: field names and nesting as in its schema, union values
    /// bare, decimals as exact strings ("10.50"), timestamps in ISO-8601 UTC. (The spec's JSON encoding would write a
    /// decimal as its two's-complement bytes, which no one reads.)</summary>
    public static JsonNode ToJson<T>(T record) where T : IAvroRecord<T> =>
        JsonNode.Parse(AvroJson.Write(T.Schema, Readers<T>.Generic.Read(new AvroBinaryReader(AvroRecord.ToBytes(record))), readable: true))!;

    private static class Readers<T> where T : IAvroRecord<T>
    {
        public static readonly GenericDatumReader Generic = new(T.Schema);
    }

    /// <summary>A boolean query parameter: absent → <paramref name="absent"/>; "true"/"false"; anything else → null.</summary>
    public static bool? Flag(string? value, bool absent) => value switch
    {
        null => absent,
        "true" => true,
        "false" => false,
        _ => null,
    };
}
