using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace Otto.Payments.Processing;

/// <summary>
/// Finds payments added twice under different ids: PaymentAdded re-keyed by <see cref="MatchKey"/> (debtor,
/// creditor, amount, currency) arrives here, and the store keeps, per match key, the payments added within the
/// window. A second payment id within the window (by occurred-at, so out-of-order arrival does not matter) yields
/// a <see cref="DuplicateSuspected"/> for the later of the two, keyed by its payment id. A redelivered
/// PaymentAdded of a payment already listed yields nothing new.
/// </summary>
/// <para>A Streamiz transformer: it forwards its findings itself and returns null.</para>
public sealed class DuplicateDetector(PaymentsOptions options) : ITransformer<string, PaymentAdded, string, DuplicateSuspected>
{
    /// <summary>Only for Streamiz's <see cref="TransformerBuilder{K, V, K1, V1}"/>, which makes a prototype with it; every
    /// task's instance is made from the options.</summary>
    public DuplicateDetector() : this(new PaymentsOptions()) { }

    /// <summary>The store's name (its changelog: {application}-duplicate-candidates-changelog).</summary>
    public const string StoreName = "duplicate-candidates";

    private readonly TimeSpan _window = options.Rule(DuplicatePaymentRule.Name).Window ?? DuplicatePaymentRule.DefaultWindow;
    private ProcessorContext<string, DuplicateSuspected> _context = null!;
    private IKeyValueStore<string, DuplicateCandidates> _store = null!;
    private DateTimeOffset _newest = DateTimeOffset.MinValue;

    /// <summary>The key duplicates share: debtor, creditor, amount and currency.</summary>
    public static string MatchKey(PaymentAdded fact) =>
        $"{fact.DebtorAccount}|{fact.CreditorAccount}|{fact.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}|{fact.Currency}";

    /// <inheritdoc />
    public void Init(ProcessorContext<string, DuplicateSuspected> context)
    {
        _context = context;
        _store = (IKeyValueStore<string, DuplicateCandidates>)context.GetStateStore(StoreName);
        context.Schedule(_window, PunctuationType.PROCESSING_TIME, _ => Purge());
    }

    /// <inheritdoc />
    public void Close() { }

    /// <inheritdoc />
    public Record<string, DuplicateSuspected> Process(Record<string, PaymentAdded> record)
    {
        Find(record);
        return null!; // the findings were forwarded
    }

    private void Find(Record<string, PaymentAdded> record)
    {
        var fact = record.Value;
        // The payment processor dead-letters such a fact; it must not make a valid payment look like a duplicate.
        if (fact.Amount <= 0 || string.IsNullOrWhiteSpace(fact.Currency)) return;
        if (fact.OccurredAt > _newest) _newest = fact.OccurredAt;
        var candidates = _store.Get(record.Key) ?? new DuplicateCandidates();
        if (candidates.Payments.Any(p => p.PaymentId == fact.PaymentId)) return;

        foreach (var other in candidates.Payments.Where(p => (p.AddedAt - fact.OccurredAt).Duration() <= _window))
        {
            var thisIsLater = fact.OccurredAt > other.AddedAt || (fact.OccurredAt == other.AddedAt && string.CompareOrdinal(fact.PaymentId, other.PaymentId) > 0);
            var (later, laterAt, earlier, earlierAt) = thisIsLater
                ? (fact.PaymentId, fact.OccurredAt, other.PaymentId, other.AddedAt)
                : (other.PaymentId, other.AddedAt, fact.PaymentId, fact.OccurredAt);
            _context.Forward(later, new DuplicateSuspected
            {
                PaymentId = later,
                DuplicateOf = earlier,
                MatchKey = record.Key,
                EarlierAddedAt = earlierAt,
                AddedAt = laterAt,
            });
        }
        candidates.Payments.Add(new DuplicateCandidate { PaymentId = fact.PaymentId, AddedAt = fact.OccurredAt });
        _store.Put(record.Key, candidates);
    }

    // Forgets payments that can no longer match anything: added more than a window before the newest one seen.
    private void Purge()
    {
        if (_newest == DateTimeOffset.MinValue) return; // nothing seen since this task started
        var horizon = _newest - _window;
        var expired = new List<(string Key, DuplicateCandidates? Kept)>();
        using (var all = _store.All().GetEnumerator())
        {
            while (all.MoveNext())
            {
                var (key, candidates) = (all.Current.Key, all.Current.Value);
                var kept = candidates.Payments.Where(p => p.AddedAt >= horizon).ToList();
                if (kept.Count == candidates.Payments.Count) continue;
                expired.Add((key, kept.Count == 0 ? null : new DuplicateCandidates { Payments = kept }));
            }
        }
        foreach (var (key, kept) in expired)
        {
            if (kept is null) _store.Delete(key);
            else _store.Put(key, kept);
        }
    }
}
