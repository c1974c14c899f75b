using System.Text.Json.Nodes;
using Otto.Contracts.Otto;
using Otto.Payments.Processing;
using Otto.Streams.Errors;
using Otto.Streams.Query;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using static Otto.Streams.Worker.Query.QueryReplies;

namespace Otto.Streams.Worker.Query;

/// <summary>
/// The payments read side, answered from the local <c>payments</c> store (interactive queries):
/// <list type="bullet">
/// <item><c>GET /payments/{id}</c>: the payment's model in the Avro JSON encoding. When another instance holds the
/// payment's partition the request is forwarded there (the answer names the instance that read its store in
/// <c>servedBy</c> and the <c>X-Otto-Served-By</c> header); if that instance does not answer, or with
/// <c>?forward=false</c>, the reply is 421 with the owner's URL in <c>owner</c> and <c>Location</c>.</item>
/// </list>
/// 503 (with the stream's state) while the stream is not running; 400 for bad parameters.
/// </summary>
public sealed class PaymentQueries(StreamStatus status, QueryOptions options) : IDisposable
{
    // The payments topology's key serde (PaymentsSerDes.Key): payment ids are plain strings.
    private static readonly StringSerDes Keys = new();
    private readonly InstanceClient _instances = new(options.ForwardTimeout);

    /// <summary>Adds the routes to <paramref name="router"/>.</summary>
    public HttpRouter AddTo(HttpRouter router) => router.Map("GET", "/payments/{id}", GetPaymentAsync);

    private async Task<HttpReply> GetPaymentAsync(HttpRequestData request, CancellationToken ct)
    {
        var id = request.RouteValues["id"];
        if (Flag(request.Query["forward"], absent: true) is not { } forward) return BadRequest("forward must be true or false");
        if (RunningStream() is not { } stream) return NotRunning();
        try
        {
            var self = Self(stream);
            var where = stream.QueryMetadataForKey(PaymentProcessor.StoreName, id, Keys);
            var context = new JsonObject { ["paymentId"] = id, ["partition"] = where.Partition };
            if (where.IsLocal)
            {
                var payment = Payments(stream).Get(id);
                context["servedBy"] = self;
                if (payment is null) return Error(404, $"payment {id} is not known", context, self);
                context["payment"] = ToJson(payment);
                return Json(200, context, self);
            }
            if (where.ActiveHost == HostInfo.Unavailable)
                return Error(503, $"no instance holds partition {where.Partition} of the payments store now (a rebalance is under way, or the " +
                    "instance holding it has not published itself yet); ask again shortly", context);
            var owner = $"http://{where.ActiveHost}/payments/{Uri.EscapeDataString(id)}";
            if (!forward || request.Headers[InstanceClient.ForwardedByHeader] is not null)
                return Misdirected(owner, $"payment {id} is held by {where.ActiveHost}", context);
            try
            {
                return await _instances.GetAsync(owner, self, ct);
            }
            catch (InstanceUnreachableException e)
            {
                return Misdirected(owner, $"payment {id} is held by {where.ActiveHost}, which did not answer ({e.Message})", context);
            }
        }
        catch (InvalidStateStoreException e)
        {
            return Unavailable(e);
        }
    }

    private static HttpReply Misdirected(string owner, string message, JsonObject context)
    {
        context["owner"] = owner;
        return Error(421, message, context) with { Headers = new Dictionary<string, string> { ["Location"] = owner } };
    }

    private KafkaStream? RunningStream() => status.Stream is { State: KafkaStreamState.Running } stream ? stream : null;

    private HttpReply NotRunning() => Unavailable($"the stream is {status.State}, not running: its stores cannot be read now", status.State);

    private static string Self(KafkaStream stream) => stream.AllMetadata()[0].HostInfo.ToString();

    private static IReadOnlyKeyValueStore<string, PaymentState> Payments(KafkaStream stream) =>
        stream.Store(StoreQueryParameters.FromNameAndType(PaymentProcessor.StoreName, QueryableStoreTypes.KeyValueStore<string, PaymentState>()));

    /// <inheritdoc />
    public void Dispose() => _instances.Dispose();
}
