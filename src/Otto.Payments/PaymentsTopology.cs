using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.Payments.Model;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Otto.Streams;
using Otto.Streams.State;
using Otto.Streams.Stream;

namespace Otto.Payments;

/// <summary>
/// The payments-integrity topology.
/// <list type="number">
/// <item>GetTrnRq, which Otto itself writes, is read back as a table of requests keyed by correlation id.
/// GetTrnRs (same key) joins it; unknown correlation ids find no request and drop out. The joined reply is
/// re-keyed by payment id and hops through a repartition topic to the payment side.</item>
/// <item>CPR's facts and the re-keyed replies merge into the payment processor, which keeps the payment
/// store and runs the rules; it emits requests (keyed by correlation id) and flags (keyed by payment id).</item>
/// </list>
/// </summary>
public static class PaymentsTopology
{
    /// <summary>The store of requests sent, keyed by correlation id.</summary>
    public const string RequestsStore = "requests";

    /// <summary>Builds the topology.</summary>
    public static Topology Build(PaymentsOptions options, PaymentsSerDes serdes)
    {
        options.Validate();
        var topics = new PaymentTopics(options.Env);
        var builder = new StreamBuilder();

        var requests = builder.Table(topics.GetTrnRq,
            Materialized<string, GetTrnRq>.As(RequestsStore).With(serdes.Key, serdes.Value<GetTrnRq>()), "requests-source");
        builder.Stream(topics.GetTrnRs, serdes.Key, serdes.Value<GetTrnRs>(), "replies-source")
            .Join(requests, (reply, request) => (Reply: reply, Request: request), "join-reply-to-request")
            .SelectKey((_, joined) => joined.Request.PaymentId, "key-reply-by-payment")
            .MapValues(joined => joined.Reply, "reply-only")
            .To(topics.RepliesByPayment, serdes.Key, serdes.Value<GetTrnRs>(), "to-replies-by-payment");

        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.StoreName), serdes.Key, serdes.Value<PaymentState>()));

        var added = builder.Stream(topics.PaymentAdded, serdes.Key, serdes.Value<PaymentAdded>(), "payment-added-source")
            .MapValues(PaymentEvent (fact) => new PaymentEvent.Added(fact), "as-added-event");
        var statusChanged = builder.Stream(topics.PaymentStatusChanged, serdes.Key, serdes.Value<PaymentStatusChanged>(), "status-changed-source")
            .MapValues(PaymentEvent (fact) => new PaymentEvent.StatusChanged(fact), "as-status-event");
        var replies = builder.Stream(topics.RepliesByPayment, serdes.Key, serdes.Value<GetTrnRs>(), "replies-by-payment-source")
            .MapValues(PaymentEvent (reply) => new PaymentEvent.CoreReplied(reply), "as-reply-event");

        var outputs = added.Merge(statusChanged, "merge-facts").Merge(replies, "merge-replies")
            .Process(() => new PaymentProcessor(options), "payment-processor", PaymentProcessor.StoreName);

        outputs.Filter((_, o) => o.Request is not null, "requests-only").MapValues(o => o.Request!, "as-request")
            .To(topics.GetTrnRq, serdes.Key, serdes.Value<GetTrnRq>(), "to-get-trn-rq");
        outputs.Filter((_, o) => o.Flag is not null, "flags-only").MapValues(o => o.Flag!, "as-flag")
            .To(topics.PaymentFlagged, serdes.Key, serdes.Value<PaymentFlagged>(), "to-payment-flagged");

        return builder.Build();
    }
}
