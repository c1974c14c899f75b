using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments.Model;
using Otto.Payments.Processing;
using Otto.Payments.Rules;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.State;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.Payments;

/// <summary>
/// The payments-integrity topology (topology-docs/ shows it as generated from this code).
/// <list type="number">
/// <item>Requests Otto writes (GetTrnRq, FixPaymentRq) are read back as tables keyed by correlation id /
/// idempotency key. Replies (same key) left-join them; a reply to nothing Otto asked is counted and dropped.
/// A joined reply is re-keyed by payment id and hops through a topic to the payment side.</item>
/// <item>PaymentAdded is re-keyed by debtor, creditor, amount and currency into the duplicate detector, whose
/// findings hop back keyed by payment id.</item>
/// <item>Every fact (PaymentAdded joined to the Account global table by debtor account), the replies and the
/// duplicate findings merge into the payment processor, which keeps the payment store and runs the rules; it
/// emits requests, fix commands, flags and clearings, each to its topic.</item>
/// </list>
/// All facts are keyed by payment id, so their topics must have the same partition count (checked at start).
/// </summary>
public static class PaymentsTopology
{
    /// <summary>The store of GetTrnRq sent, keyed by correlation id.</summary>
    public const string RequestsStore = "requests";

    /// <summary>The store of FixPaymentRq sent, keyed by idempotency key.</summary>
    public const string FixRequestsStore = "fix-requests";

    /// <summary>The global store of accounts, keyed by account id.</summary>
    public const string AccountsStore = "accounts";

    /// <summary>The repartition of PaymentAdded by match key (topic {application}-added-by-details-repartition).</summary>
    public const string AddedByDetails = "added-by-details";

    /// <summary>The topology built only to be inspected (described, or asked for its internal topics): it never
    /// serializes, so its registry client points nowhere and is never called.</summary>
    public static Topology ForInspection(PaymentsOptions options) =>
        Build(options, new PaymentsSerDes(new Confluent.SchemaRegistry.CachedSchemaRegistryClient(
            new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = "http://unused.invalid" }), autoRegisterSchemas: false));

    /// <summary>Builds the topology. With <paramref name="deadLetters"/>, a record the payment processor or the duplicate
    /// detector throws on goes to the dead-letter topic and the partition goes on; without, it fails the stream
    /// thread (Streamiz's default). With <paramref name="catchUp"/>, a payment-processor task that starts (takes over
    /// partitions, restarts) judges no deadline before it has read the backlog its partitions held then; without
    /// (<see cref="TakeoverCatchUp.None"/>, as in Streamiz's TopologyTestDriver), only records older than CatchUpLag
    /// defer timed rules.</summary>
    public static Topology Build(PaymentsOptions options, PaymentsSerDes serdes, DeadLetterQueue? deadLetters = null, TakeoverCatchUp? catchUp = null)
    {
        options.Validate();
        catchUp ??= TakeoverCatchUp.None;
        var topics = new PaymentTopics(options.Env);
        var builder = new StreamBuilder();
        var key = serdes.Key;

        var coreReplies = RepliesByPayment<GetTrnRq, GetTrnRs>(builder, serdes, "core", topics.GetTrnRq, topics.GetTrnRs, topics.RepliesByPayment,
                RequestsStore, rq => rq.PaymentId)
            .MapValues(PaymentEvent (reply, _) => new PaymentEvent.CoreReplied(reply), "as-core-reply-event");
        var fixReplies = RepliesByPayment<FixPaymentRq, FixPaymentRs>(builder, serdes, "fix", topics.FixPaymentRq, topics.FixPaymentRs, topics.FixRepliesByPayment,
                FixRequestsStore, rq => rq.PaymentId)
            .MapValues(PaymentEvent (reply, _) => new PaymentEvent.FixReplied(reply), "as-fix-reply-event");

        var added = builder.Stream(topics.PaymentAdded, key, serdes.Value<PaymentAdded>(), "payment-added-source");
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(DuplicateDetector.StoreName), key, serdes.Value<DuplicateCandidates>()));
        added.SelectKey((_, fact, _) => DuplicateDetector.MatchKey(fact), "key-added-by-details")
            .Repartition(Repartitioned<string, PaymentAdded>.As(AddedByDetails).WithKeySerdes(key).WithValueSerdes(serdes.Value<PaymentAdded>()))
            .Transform(deadLetters?.Transformer(() => new DuplicateDetector(options))
                    ?? TransformerBuilder.New<string, PaymentAdded, string, DuplicateSuspected>().Transformer<DuplicateDetector>(options).Build(),
                "duplicate-detector", DuplicateDetector.StoreName)
            .To(topics.DuplicateSuspected, key, serdes.Value<DuplicateSuspected>(), "to-duplicate-suspected");

        var accounts = builder.GlobalTable(topics.Accounts, key, serdes.Value<Account>(),
            Materialized<string, Account, IKeyValueStore<Bytes, byte[]>>.Create(AccountsStore)
                .WithValueSerdes(new GlobalStoreSerDes<Account>(serdes.Value<Account>(), AccountsStore)), "accounts");
        var events = added
            .LeftJoin(accounts, (_, fact) => fact.DebtorAccount, PaymentEvent (fact, account) => new PaymentEvent.Added(fact, account), "join-added-to-debtor-account")
            .Merge(Facts<PaymentStatusChanged>(builder, serdes, topics.PaymentStatusChanged, "status-changed", f => new PaymentEvent.StatusChanged(f)), "merge-status-changed")
            .Merge(Facts<PaymentCancelled>(builder, serdes, topics.PaymentCancelled, "cancelled", f => new PaymentEvent.Cancelled(f)), "merge-cancelled")
            .Merge(Facts<TrnAdded>(builder, serdes, topics.TrnAdded, "trn-added", f => new PaymentEvent.CoreBooked(f)), "merge-trn-added")
            .Merge(Facts<PaymentSettled>(builder, serdes, topics.PaymentSettled, "settled", f => new PaymentEvent.Settled(f)), "merge-settled")
            .Merge(Facts<LimitsUpdated>(builder, serdes, topics.LimitsUpdated, "limits-updated", f => new PaymentEvent.LimitsChanged(f)), "merge-limits-updated")
            .Merge(Facts<DuplicateSuspected>(builder, serdes, topics.DuplicateSuspected, "duplicate-suspected", f => new PaymentEvent.DuplicateFound(f)), "merge-duplicates")
            .Merge(coreReplies, "merge-core-replies")
            .Merge(fixReplies, "merge-fix-replies");

        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.StoreName), key, serdes.Value<PaymentState>()));
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.PersistentKeyValueStore(PaymentProcessor.SweepStoreName), key, serdes.Value<SweepDue>()));
        var processorSources = PaymentProcessorSources(topics);
        var outputs = events.Transform(deadLetters?.Transformer(() => new PaymentProcessor(options, catchUp, processorSources))
                ?? TransformerBuilder.New<string, PaymentEvent, string, PaymentOutput>().Transformer<PaymentProcessor>(options, catchUp, processorSources).Build(),
            "payment-processor", PaymentProcessor.StoreName, PaymentProcessor.SweepStoreName);

        Publish(outputs, "get-trn-rq", topics.GetTrnRq, key, serdes.Value<GetTrnRq>(), o => (o as PaymentOutput.Ask)?.Request);
        Publish(outputs, "fix-payment-rq", topics.FixPaymentRq, key, serdes.Value<FixPaymentRq>(), o => (o as PaymentOutput.Fix)?.Command);
        Publish(outputs, "payment-flagged", topics.PaymentFlagged, key, serdes.Value<PaymentFlagged>(), o => (o as PaymentOutput.Raise)?.Flag);
        Publish(outputs, "payment-flag-cleared", topics.PaymentFlagCleared, key, serdes.Value<PaymentFlagCleared>(), o => (o as PaymentOutput.Clear)?.Cleared);

        return builder.Build();
    }

    /// <summary>The topics the payment processor's sub-topology reads (the sources merged into <c>events</c> above): a
    /// payment-processor task reads partition p of each, and catches up on all of them.</summary>
    public static IReadOnlyList<string> PaymentProcessorSources(PaymentTopics topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return
        [
            topics.PaymentAdded, topics.PaymentStatusChanged, topics.PaymentCancelled, topics.TrnAdded, topics.PaymentSettled,
            topics.LimitsUpdated, topics.DuplicateSuspected, topics.RepliesByPayment, topics.FixRepliesByPayment,
        ];
    }

    // A source system's fact topic, as payment events.
    private static IKStream<string, PaymentEvent> Facts<T>(StreamBuilder builder, PaymentsSerDes serdes, string topic, string name, Func<T, PaymentEvent> asEvent)
        where T : class, Avro.Specific.ISpecificRecord =>
        builder.Stream(topic, serdes.Key, serdes.Value<T>(), $"{name}-source").MapValues((fact, _) => asEvent(fact), $"as-{name}-event");

    // Request/response by correlation key: the request topic read back as a table, the replies joined to it,
    // re-keyed by payment id through byPaymentTopic, and read from there on the payment side.
    private static IKStream<string, TRs> RepliesByPayment<TRq, TRs>(StreamBuilder builder, PaymentsSerDes serdes, string name,
        string requestTopic, string replyTopic, string byPaymentTopic, string store, Func<TRq, string> paymentOf)
        where TRq : class, Avro.Specific.ISpecificRecord
        where TRs : class, Avro.Specific.ISpecificRecord
    {
        var requests = builder.Table(requestTopic, serdes.Key, serdes.Value<TRq>(),
            Materialized<string, TRq, IKeyValueStore<Bytes, byte[]>>.Create(store), $"{name}-requests");
        builder.Stream(replyTopic, serdes.Key, serdes.Value<TRs>(), $"{name}-replies-source")
            .LeftJoin(requests, (reply, request) => new Asked<TRq, TRs>(reply, request), $"join-{name}-reply-to-request")
            .Filter((_, joined, _) => IsAnswer(joined.Request, typeof(TRs).Name), $"drop-unknown-{name}-replies")
            .SelectKey((_, joined, _) => paymentOf(joined.Request!), $"key-{name}-reply-by-payment")
            .MapValues((joined, _) => joined.Reply, $"{name}-reply-only")
            .To(byPaymentTopic, serdes.Key, serdes.Value<TRs>(), $"to-{name}-replies-by-payment");
        return builder.Stream(byPaymentTopic, serdes.Key, serdes.Value<TRs>(), $"{name}-replies-by-payment-source");
    }

    // A reply with the request it answers (null when Otto asked nothing under its key).
    private sealed record Asked<TRq, TRs>(TRs Reply, TRq? Request);

    private static bool IsAnswer(object? request, string replyType)
    {
        if (request is not null) return true;
        PaymentsMetrics.UnknownReplies.Add(1, new KeyValuePair<string, object?>("type", replyType), new KeyValuePair<string, object?>("reason", "no-request"));
        return false;
    }

    private static void Publish<T>(IKStream<string, PaymentOutput> outputs, string name, string topic, ISerDes<string> key, ISerDes<T> value, Func<PaymentOutput, T?> select)
        where T : class =>
        outputs.Filter((_, output, _) => select(output) is not null, $"{name}-only")
            .MapValues((output, _) => select(output)!, $"as-{name}")
            .To(topic, key, value, $"to-{name}");
}
