using System.Globalization;
using System.Text.Json.Nodes;
using Otto.Contracts.Otto;
using Otto.Payments.Processing;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.State;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using static Otto.Streams.Worker.Query.QueryReplies;

namespace Otto.Streams.Worker.Query;

/// <summary>
/// The payments read side, answered from the local <c>payments</c> store (interactive queries):
/// <list type="bullet">
/// <item><c>GET /payments/{id}</c>: the payment's model as JSON shaped by its Avro schema. When another instance holds the
/// payment's partition the request is forwarded there (the answer names the instance that read its store in
/// <c>servedBy</c> and the <c>X-Otto-Served-By</c> header); if that instance does not answer, or with
/// <c>?forward=false</c>, the reply is 421 with the owner's URL in <c>owner</c> and <c>Location</c>.</item>
/// <item><c>GET /flags?open=true&amp;limit=N</c>: the flags kept in the models (open ones: <c>clearedAt</c> null) of this
/// instance's payments, merged with those of every other instance (asked with <c>local=true</c>, which answers from
/// one instance only); at most <c>limit</c> (default 1000), with <c>truncated</c> when more exist and
/// <c>complete</c> false when some instance did not answer.</item>
/// </list>
/// 503 (with the stream's state) while the stream is not running; 400 for bad parameters.
/// </summary>
public sealed class PaymentQueries(StreamStatus status, QueryOptions options) : IDisposable
{
    private readonly InstanceClient _instances = new(options.ForwardTimeout);

    /// <summary>The most flags one answer holds.</summary>
    public const int MaxLimit = 10_000;

    private const int DefaultLimit = 1_000;

    /// <summary>Adds the routes to <paramref name="router"/>.</summary>
    public HttpRouter AddTo(HttpRouter router) => router.Map("GET", "/payments/{id}", GetPaymentAsync).Map("GET", "/flags", GetFlagsAsync);

    private async Task<HttpReply> GetPaymentAsync(HttpRequestData request, CancellationToken ct)
    {
        var id = request.RouteValues["id"];
        if (Flag(request.Query["forward"], absent: true) is not { } forward) return BadRequest("forward must be true or false");
        if (RunningStream() is not { } stream) return NotRunning();
        try
        {
            var self = Self();
            var context = new JsonObject { ["paymentId"] = id };
            var payment = Payments(stream).Get(id);
            context["servedBy"] = self;
            if (payment is null) return Error(404, $"payment {id} is not known", context, self);
            context["payment"] = ToJson(payment);
            return Json(200, context, self);
        }
        catch (InvalidStateStoreException e)
        {
            return Unavailable(e);
        }
    }

    private async Task<HttpReply> GetFlagsAsync(HttpRequestData request, CancellationToken ct)
    {
        if (Flag(request.Query["open"], absent: false) is not { } openOnly) return BadRequest("open must be true or false");
        if (Flag(request.Query["local"], absent: false) is not { } localOnly) return BadRequest("local must be true or false");
        var limit = DefaultLimit;
        if (request.Query["limit"] is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return BadRequest($"limit must be a whole number from 1 to {MaxLimit}");
        if (RunningStream() is not { } stream) return NotRunning();
        try
        {
            var self = Self();
            var (flags, truncated) = LocalFlags(stream, openOnly, limit);
            var instances = new JsonArray { Instance(self, flags.Count, error: null) };
            if (!localOnly)
            {
                var query = $"flags?open={(openOnly ? "true" : "false")}&limit={limit}&local=true";
                var others = new List<string>();
                foreach (var (server, answer) in others.Zip(await Task.WhenAll(others.Select(server => AskAsync(server, query, self, ct)))))
                {
                    instances.Add(Instance(server, answer.Flags?.Count ?? 0, answer.Error));
                    flags.AddRange(answer.Flags ?? []);
                    truncated |= answer.Truncated;
                }
                // During a rebalance two instances may both have answered for a partition: a flag id is unique.
                flags = flags.DistinctBy(f => f["flagId"]!.GetValue<string>()).OrderBy(f => f["paymentId"]!.GetValue<string>(), StringComparer.Ordinal)
                    .ThenBy(f => f["flagId"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
                truncated |= flags.Count > limit;
                flags = flags.Take(limit).ToList();
            }
            return Json(200, new JsonObject
            {
                ["open"] = openOnly,
                ["count"] = flags.Count,
                ["truncated"] = truncated,
                ["complete"] = instances.All(i => i!["error"] is null),
                ["servedBy"] = self,
                ["instances"] = instances,
                ["flags"] = new JsonArray([.. flags]),
            }, self);
        }
        catch (InvalidStateStoreException e)
        {
            return Unavailable(e);
        }
    }

    // One pass over this instance's payments (a RocksDB scan per partition, read lazily), stopped once limit + 1
    // flags are found: the one beyond the limit only tells that the answer is truncated.
    private static (List<JsonObject> Flags, bool Truncated) LocalFlags(KafkaStream stream, bool openOnly, int limit)
    {
        var flags = new List<JsonObject>();
        foreach (var (paymentId, payment) in Payments(stream).All())
        {
            foreach (var flag in payment.Flags.Where(f => !openOnly || f.ClearedAt is null))
            {
                if (flags.Count == limit) return (flags, true);
                var json = new JsonObject { ["paymentId"] = paymentId };
                foreach (var (name, value) in ToJson(flag).AsObject().ToList()) json[name] = value?.DeepClone();
                flags.Add(json);
            }
        }
        return (flags, false);
    }

    private async Task<(List<JsonObject>? Flags, bool Truncated, string? Error)> AskAsync(string server, string query, string self, CancellationToken ct)
    {
        try
        {
            var reply = await _instances.GetAsync($"http://{server}/{query}", self, ct);
            var body = JsonNode.Parse(reply.Body)?.AsObject();
            if (reply.Status != 200 || body?["flags"] is not JsonArray flags)
                return (null, false, $"{reply.Status}: {body?["error"]?.GetValue<string>() ?? reply.Body}");
            return (flags.Select(f => f!.AsObject()).Select(f => (JsonObject)f.DeepClone()).ToList(), body["truncated"]?.GetValue<bool>() ?? false, null);
        }
        catch (Exception e) when (e is InstanceUnreachableException or System.Text.Json.JsonException)
        {
            return (null, false, e.Message);
        }
    }

    private static JsonObject Instance(string server, int flags, string? error) => new() { ["server"] = server, ["flags"] = flags, ["error"] = error };

    private static HttpReply Misdirected(string owner, string message, JsonObject context)
    {
        context["owner"] = owner;
        return Error(421, message, context) with { Headers = new Dictionary<string, string> { ["Location"] = owner } };
    }

    private KafkaStream? RunningStream() => status.Ready ? status.Stream : null;

    private HttpReply NotRunning() => Unavailable($"the stream is {status.State}, not running: its stores cannot be read now", status.State);

    private string Self() => options.AdvertisedUrl ?? "local";

    private static IReadOnlyKeyValueStore<string, PaymentState> Payments(KafkaStream stream) =>
        stream.Store(StoreQueryParameters.FromNameAndType(PaymentProcessor.StoreName, QueryableStoreTypes.KeyValueStore<string, PaymentState>()));

    /// <inheritdoc />
    public void Dispose() => _instances.Dispose();
}
