using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Processing;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.State;
using static Otto.Streams.Worker.Query.QueryReplies;

namespace Otto.Streams.Worker.Query;

/// <summary>
/// The payments read side, answered from the local <c>payments</c> store (Streamiz's interactive queries, which
/// are local only), routed between instances with an <see cref="InstanceDirectory"/>:
/// <list type="bullet">
/// <item><c>GET /payments/{id}</c>: the payment's model as JSON shaped by its Avro schema. When another instance holds the
/// payment's partition the request is forwarded there (the answer names the instance that read its store in
/// <c>servedBy</c> and the <c>X-Otto-Served-By</c> header); if that instance does not answer, or with
/// <c>?forward=false</c>, the reply is 421 with the owner's URL in <c>owner</c> and <c>Location</c>. 503 while
/// no instance holds the partition (a rebalance), or while the instance holding it still restores it.</item>
/// <item><c>GET /flags?open=true&amp;limit=N</c>: the flags kept in the models (open ones: <c>clearedAt</c> null) of this
/// instance's payments, merged with those of every other instance holding payments (asked with <c>local=true</c>,
/// which answers from one instance only); at most <c>limit</c> (default 1000), with <c>truncated</c> when more exist,
/// <c>missingPartitions</c> the payment partitions no instance that answered holds, and <c>complete</c> false when
/// an instance did not answer, was restoring, or a partition is missing.</item>
/// </list>
/// 503 (with the stream's state) while the stream is not running; 400 for bad parameters.
/// </summary>
public sealed class PaymentQueries : IDisposable
{
    // Where a payment lives: the partition Streamiz's producers and the source systems put its id in (murmur2, the
    // Java clients' default and Streamiz's StreamConfig.Partitioner) among the partitions of the payment topics.
    private const Partitioner PaymentPartitioner = Partitioner.Murmur2Random;

    private readonly StreamStatus _status;
    private readonly QueryOptions _options;
    private readonly InstanceDirectory? _directory;
    private readonly string? _paymentsTopic;
    private readonly InstanceClient _instances;

    /// <summary>The most flags one answer holds.</summary>
    public const int MaxLimit = 10_000;

    private const int DefaultLimit = 1_000;

    /// <summary>A read side that answers from this instance's stores only (a single instance).</summary>
    public PaymentQueries(StreamStatus status, QueryOptions options)
    {
        _status = status;
        _options = options;
        _instances = new InstanceClient(options.ForwardTimeout, options.ApiKey);
    }

    /// <summary>A read side that routes between the instances <paramref name="directory"/> knows.</summary>
    /// <param name="status">The stream.</param>
    /// <param name="options">The read side's settings.</param>
    /// <param name="directory">The directory tracking the stream's clients and restorations (disposed with this).</param>
    /// <param name="paymentsTopic">A topic the payment store's task reads (e.g. PaymentAdded): the payment store's
    /// partition p is that topic's partition p.</param>
    public PaymentQueries(StreamStatus status, QueryOptions options, InstanceDirectory directory, string paymentsTopic) : this(status, options)
    {
        _directory = directory;
        _paymentsTopic = paymentsTopic;
    }

    /// <summary>The read side of a worker with <paramref name="options"/>, routed through an instance directory it
    /// creates, advertising <paramref name="advertisedUrl"/> (<see cref="QueryOptions.Advertised"/>: it carries the port
    /// the read side's listener bound), and disposes; give <see cref="Directory"/> to <see cref="StreamHost.StartAsync"/>.</summary>
    public static PaymentQueries Create(StreamStatus status, OttoOptions options, Uri advertisedUrl, ILoggerFactory? loggers = null) =>
        new(status, options.Query, new InstanceDirectory(OttoRuntime.StreamConfig(options, loggers), advertisedUrl),
            new PaymentTopics(options.Payments.Env).PaymentAdded);

    /// <summary>The instance directory the queries route with (null: local answers only).</summary>
    public InstanceDirectory? Directory => _directory;

    /// <summary>The partitions of the payments store this instance holds and is still restoring (none without a directory).</summary>
    public IReadOnlySet<int> Restoring() => _directory?.Restoring(PaymentProcessor.StoreName, _paymentsTopic!) ?? new HashSet<int>();

    /// <summary><c>GET /payments/{id}</c>.</summary>
    /// <param name="id">The payment id.</param>
    /// <param name="forwardParameter">The <c>forward</c> query parameter: "false" answers 421 rather than asking the owner.</param>
    /// <param name="forwardedBy">The <c>X-Otto-Forwarded-By</c> header: set, the request came from another instance and
    /// is never forwarded again.</param>
    /// <param name="ct">The request's cancellation.</param>
    public async Task<QueryReply> GetPaymentAsync(string id, string? forwardParameter, string? forwardedBy, CancellationToken ct)
    {
        if (Flag(forwardParameter, absent: true) is not { } forward) return BadRequest("forward must be true or false");
        if (RunningStream() is not { } stream) return NotRunning();
        var self = Self;
        var context = new JsonObject { ["paymentId"] = id };
        try
        {
            if (_directory is null) return Local(stream, id, context, self);
            var where = _directory.Locate(_paymentsTopic!, Encoding.UTF8.GetBytes(id), PaymentPartitioner);
            context["partition"] = where.Partition;
            if (where.IsLocal)
            {
                if (_directory.Restoring(PaymentProcessor.StoreName, _paymentsTopic!).Contains(where.Partition))
                    return Error(503, $"partition {where.Partition} of the payments store is still being restored here; ask again shortly", context, self);
                return Local(stream, id, context, self);
            }
            if (where.Owner is not { } ownerBase)
                return Error(503, $"no instance holds partition {where.Partition} of the payments store now (a rebalance is under way, or the " +
                    "instance holding it has not published itself yet); ask again shortly", context);
            var owner = new Uri(ownerBase, $"payments/{Uri.EscapeDataString(id)}").AbsoluteUri;
            if (!forward || forwardedBy is not null)
                return Misdirected(owner, $"payment {id} is held by {ownerBase.Authority}", context);
            try
            {
                return await _instances.GetAsync(owner, self, ct);
            }
            catch (InstanceUnreachableException e)
            {
                return Misdirected(owner, $"payment {id} is held by {ownerBase.Authority}, which did not answer ({e.Message})", context);
            }
        }
        catch (InvalidStateStoreException e)
        {
            return Unavailable(e);
        }
        catch (KafkaException e)
        {
            return Error(503, $"where payment {id} lives cannot be told now: {e.Error.Reason}", context);
        }
    }

    private static QueryReply Local(KafkaStream stream, string id, JsonObject context, string self)
    {
        var payment = Payments(stream).Get(id);
        context["servedBy"] = self;
        if (payment is null) return Error(404, $"payment {id} is not known", context, self);
        context["payment"] = ToJson(payment);
        return Json(200, context, self);
    }

    /// <summary><c>GET /flags?open=&amp;local=&amp;limit=</c>, the query parameters as given (checked here: 400 when bad).</summary>
    public async Task<QueryReply> GetFlagsAsync(string? open, string? local, string? limitParameter, CancellationToken ct)
    {
        if (Flag(open, absent: false) is not { } openOnly) return BadRequest("open must be true or false");
        if (Flag(local, absent: false) is not { } localOnly) return BadRequest("local must be true or false");
        var limit = DefaultLimit;
        if (limitParameter is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            return BadRequest($"limit must be a whole number from 1 to {MaxLimit}");
        if (RunningStream() is not { } stream) return NotRunning();
        try
        {
            var self = Self;
            var (flags, truncated) = LocalFlags(stream, openOnly, limit);
            var restoring = Restoring();
            var instances = new JsonArray
            {
                Instance(self, flags.Count, restoring.Count == 0 ? null : $"restoring partitions {string.Join(", ", restoring.Order())}: their flags may be missing"),
            };
            var missing = new JsonArray();
            if (!localOnly && _directory is not null)
            {
                var query = $"flags?open={(openOnly ? "true" : "false")}&limit={limit}&local=true";
                var others = _directory.Others().Where(e => e.Partitions.Any(p => p.Topic == _paymentsTopic)).ToList();
                var covered = _directory.LocalPartitions.Where(p => p.Topic == _paymentsTopic).Select(p => p.Partition.Value).ToHashSet();
                foreach (var (other, answer) in others.Zip(await Task.WhenAll(others.Select(o => AskAsync(o.Url, query, self, ct)))))
                {
                    instances.Add(Instance(other.Url.Authority, answer.Flags?.Count ?? 0, answer.Error));
                    flags.AddRange(answer.Flags ?? []);
                    truncated |= answer.Truncated;
                    if (answer.Flags is not null) covered.UnionWith(other.Partitions.Where(p => p.Topic == _paymentsTopic).Select(p => p.Partition.Value));
                }
                // Partitions nobody who answered holds: in a rebalance, or held by an instance not yet in the directory.
                foreach (var partition in Enumerable.Range(0, _directory.PartitionCount(_paymentsTopic!)).Where(p => !covered.Contains(p))) missing.Add(partition);
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
                ["complete"] = instances.All(i => i!["error"] is null) && missing.Count == 0,
                ["missingPartitions"] = missing,
                ["servedBy"] = self,
                ["instances"] = instances,
                ["flags"] = new JsonArray([.. flags]),
            }, self);
        }
        catch (InvalidStateStoreException e)
        {
            return Unavailable(e);
        }
        catch (KafkaException e)
        {
            return Error(503, $"the payment topics' partitions cannot be told now: {e.Error.Reason}");
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

    // Another instance's own flags; an error when it did not answer, or answered that its own are incomplete.
    private async Task<(List<JsonObject>? Flags, bool Truncated, string? Error)> AskAsync(Uri instance, string query, string self, CancellationToken ct)
    {
        try
        {
            var reply = await _instances.GetAsync(new Uri(instance, query).AbsoluteUri, self, ct);
            var body = JsonNode.Parse(reply.Body)?.AsObject();
            if (reply.Status != 200 || body?["flags"] is not JsonArray flags)
                return (null, false, $"{reply.Status}: {body?["error"]?.GetValue<string>() ?? reply.Body}");
            var error = body["complete"]?.GetValue<bool>() == false ? body["instances"]?[0]?["error"]?.GetValue<string>() ?? "incomplete" : null;
            return (flags.Select(f => (JsonObject)f!.DeepClone()).ToList(), body["truncated"]?.GetValue<bool>() ?? false, error);
        }
        catch (Exception e) when (e is InstanceUnreachableException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, false, e.Message);
        }
    }

    private static JsonObject Instance(string server, int flags, string? error) => new() { ["server"] = server, ["flags"] = flags, ["error"] = error };

    private static QueryReply Misdirected(string owner, string message, JsonObject context)
    {
        context["owner"] = owner;
        return Error(421, message, context) with { Headers = new Dictionary<string, string> { ["Location"] = owner } };
    }

    private KafkaStream? RunningStream() => _status.Ready ? _status.Stream : null;

    private QueryReply NotRunning() => Unavailable($"the stream is {_status.State}, not running: its stores cannot be read now", _status.State);

    // "host:port", as the others reach this instance.
    private string Self => _directory?.Self.Authority ?? (_options.AdvertisedUrl is { } url ? new Uri(url).Authority : "local");

    private static IReadOnlyKeyValueStore<string, PaymentState> Payments(KafkaStream stream) =>
        stream.Store(StoreQueryParameters.FromNameAndType(PaymentProcessor.StoreName, QueryableStoreTypes.KeyValueStore<string, PaymentState>()));

    /// <inheritdoc />
    public void Dispose()
    {
        _instances.Dispose();
        _directory?.Dispose();
    }
}
