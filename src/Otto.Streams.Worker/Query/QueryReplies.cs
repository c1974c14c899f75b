using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;

namespace Otto.Streams.Worker.Query;

/// <summary>The read side's JSON: answers, errors (always <c>{"error": ...}</c> plus context), and records written by
/// <see cref="ReadableJson"/>, so the shape of a model follows its schema with no field mapped by hand.</summary>
internal static class QueryReplies
{
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static QueryReply Json(int status, JsonObject body, string? servedBy = null) =>
        QueryReply.Json(status, body.ToJsonString(Options)) with
        {
            Headers = servedBy is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [InstanceClient.ServedByHeader] = servedBy },
        };

    public static QueryReply Error(int status, string message, JsonObject? context = null, string? servedBy = null)
    {
        var body = new JsonObject { ["error"] = message };
        foreach (var (name, value) in context ?? []) body[name] = value?.DeepClone();
        return Json(status, body, servedBy);
    }

    public static QueryReply BadRequest(string message) => Error(400, message);

    /// <summary>503 with the stream's state: the store cannot be read now, asking again later may work.</summary>
    public static QueryReply Unavailable(string message, KafkaStream.State state) =>
        Error(503, message, new JsonObject { ["state"] = state.ToString() });

    public static QueryReply Unavailable(InvalidStateStoreException e) => Error(503, e.Message);

    /// <summary>503 before the worker serves its queries (the HTTP server listens before the stream starts).</summary>
    public static QueryReply Starting() => Error(503, "the worker is starting: its stores cannot be read yet", new JsonObject { ["state"] = "STARTING" });

    /// <summary>A generated record in <see cref="ReadableJson"/>'s style.</summary>
    public static JsonNode ToJson(Avro.Specific.ISpecificRecord record) => ReadableJson.Write(record);

    /// <summary>A boolean query parameter: absent → <paramref name="absent"/>; "true"/"false"; anything else → null.</summary>
    public static bool? Flag(string? value, bool absent) => value switch
    {
        null => absent,
        "true" => true,
        "false" => false,
        _ => null,
    };
}
