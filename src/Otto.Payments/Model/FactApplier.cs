using Otto.Contracts;
using Otto.Contracts.Limits;
using Otto.Contracts.Otto;

namespace Otto.Payments.Model;

/// <summary>
/// Event-sources the payment model from the source systems' facts. Every fact lands in the bounded history;
/// a fact whose event id is already there changes nothing. Facts arrive out of order across topics, so the
/// model orders statuses by occurred-at and replays them through the lifecycle: a status older than the current
/// one is recorded (stale: it lies on the path already taken) and does not move the status back, and a status the
/// lifecycle does not allow at its place in time is recorded as a regression instead of being applied. The same
/// facts give the same model in any interleaving of their topics.
/// Schema-valid nonsense (negative amounts, a fact keyed by another payment) throws
/// <see cref="InvalidFactException"/> before anything changes.
/// </summary>
public sealed class FactApplier(int historyLength)
{
    /// <summary>What applying a fact did (also the history entry's outcome, in lower case).</summary>
    public enum Outcome
    {
        /// <summary>The model changed.</summary>
        Applied,
        /// <summary>The event id was seen before: nothing changed.</summary>
        Duplicate,
        /// <summary>Recorded, but its status is older than the current one (it lies on the path already taken), so the status stayed.</summary>
        Stale,
        /// <summary>Recorded, but its status is a transition the lifecycle does not allow at its place in occurred-at order, so it was skipped.</summary>
        Regression,
    }

    /// <summary>Applies <paramref name="fact"/> to <paramref name="state"/> (null: first fact of this payment)
    /// for the record keyed <paramref name="key"/>.</summary>
    /// <exception cref="InvalidFactException">The fact makes no sense; the model is unchanged.</exception>
    public (PaymentState State, Outcome Outcome) Apply(string key, PaymentState? state, PaymentEvent fact)
    {
        var (eventId, type, source, paymentId, occurredAt) = Describe(fact);
        if (paymentId != key) throw new InvalidFactException($"{type} {eventId} is keyed '{key}' but is about payment '{paymentId}'.");
        Validate(fact, type, eventId);
        if (state is not null && state.History.Any(h => h.EventId == eventId)) return (state, Outcome.Duplicate);

        state ??= new PaymentState { PaymentId = paymentId, Status = PaymentStatus.ADDED, StatusSince = occurredAt };
        var outcome = fact switch
        {
            PaymentEvent.Added a => ApplyAdded(state, a),
            PaymentEvent.StatusChanged s => ApplyStatus(state, s.Fact.Status, s.Fact.OccurredAt, s.Fact.EventId),
            PaymentEvent.Cancelled c => ApplyStatus(state, PaymentStatus.CANCELLED, c.Fact.OccurredAt, c.Fact.EventId),
            PaymentEvent.CoreBooked b => ApplyCoreBooked(state, b),
            PaymentEvent.Settled s => ApplySettled(state, s),
            PaymentEvent.LimitsChanged l => ApplyLimits(state, l),
            PaymentEvent.DuplicateFound d => ApplyDuplicate(state, d),
            _ => throw new ArgumentException($"{fact.GetType().Name} is not a fact.", nameof(fact)),
        };
        if (outcome == Outcome.Duplicate) return (state, outcome);
        Remember(state, new HistoryEntry { EventId = eventId, Type = type, Source = source, OccurredAt = occurredAt, Outcome = outcome.ToString().ToLowerInvariant() });
        return (state, outcome);
    }

    /// <summary>Appends to the bounded history (also used by replies, which are not facts).</summary>
    public void Remember(PaymentState state, HistoryEntry entry)
    {
        state.History.Add(entry);
        if (state.History.Count > historyLength) state.History.RemoveRange(0, state.History.Count - historyLength);
    }

    private static (string EventId, string Type, string Source, string PaymentId, DateTimeOffset OccurredAt) Describe(PaymentEvent fact) => fact switch
    {
        PaymentEvent.Added a => (a.Fact.EventId, "PaymentAdded", a.Fact.SourceSystem, a.Fact.PaymentId, a.Fact.OccurredAt),
        PaymentEvent.StatusChanged s => (s.Fact.EventId, "PaymentStatusChanged", s.Fact.SourceSystem, s.Fact.PaymentId, s.Fact.OccurredAt),
        PaymentEvent.Cancelled c => (c.Fact.EventId, "PaymentCancelled", c.Fact.SourceSystem, c.Fact.PaymentId, c.Fact.OccurredAt),
        PaymentEvent.CoreBooked b => (b.Fact.EventId, "TrnAdded", b.Fact.SourceSystem, b.Fact.PaymentId, b.Fact.OccurredAt),
        PaymentEvent.Settled s => (s.Fact.EventId, "PaymentSettled", s.Fact.SourceSystem, s.Fact.PaymentId, s.Fact.OccurredAt),
        PaymentEvent.LimitsChanged l => (l.Fact.EventId, "LimitsUpdated", l.Fact.SourceSystem, l.Fact.PaymentId, l.Fact.OccurredAt),
        // The detector's finding has no event id of its own: the pair identifies it.
        PaymentEvent.DuplicateFound d => ($"duplicate:{d.Finding.DuplicateOf}", "DuplicateSuspected", "OTTO", d.Finding.PaymentId, d.Finding.AddedAt),
        _ => throw new ArgumentException($"{fact.GetType().Name} is not a fact.", nameof(fact)),
    };

    private static void Validate(PaymentEvent fact, string type, string eventId)
    {
        void Positive(decimal amount, string what)
        {
            if (amount <= 0) throw new InvalidFactException($"{type} {eventId}: {what} {amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} is not positive.");
        }
        switch (fact)
        {
            case PaymentEvent.Added a:
                Positive(a.Fact.Amount, "amount");
                if (string.IsNullOrWhiteSpace(a.Fact.Currency)) throw new InvalidFactException($"{type} {eventId}: no currency.");
                break;
            case PaymentEvent.CoreBooked b:
                Positive(b.Fact.Amount, "amount");
                break;
            case PaymentEvent.Settled s:
                Positive(s.Fact.SettledAmount, "settled amount");
                Positive(s.Fact.PaymentAmount, "payment amount");
                break;
            case PaymentEvent.LimitsChanged l:
                Positive(l.Fact.Amount, "amount");
                break;
        }
    }

    private static Outcome ApplyAdded(PaymentState state, PaymentEvent.Added added)
    {
        var fact = added.Fact;
        state.Added = true;
        state.AddedAt = fact.OccurredAt;
        state.Rail = fact.Rail;
        state.DebtorAccount = fact.DebtorAccount;
        state.CreditorAccount = fact.CreditorAccount;
        state.Amount = fact.Amount;
        state.Currency = fact.Currency;
        state.DebtorAccountStatus = added.DebtorAccount?.Status;
        // The payment's details are applied even when CPR's later statuses arrived first.
        var outcome = ApplyStatus(state, fact.Status, fact.OccurredAt, fact.EventId);
        return outcome == Outcome.Stale ? Outcome.Applied : outcome;
    }

    // Statuses are kept in occurred-at order (at the same time, in lifecycle order, then by event id, so facts of
    // different topics that share a time sort the same whatever their arrival) and the current status is replayed from all of them through the
    // lifecycle: the model then depends on which statuses CPR reported, not on the order they arrived in. A status
    // older than the current one is stale (it lies on the path already taken); one the lifecycle does not allow at
    // its place in time is a regression, recorded and skipped.
    private static Outcome ApplyStatus(PaymentState state, PaymentStatus status, DateTimeOffset at, string eventId)
    {
        // A status is kept for good, so it is recognised even after its event id left the bounded history.
        if (state.Statuses.Any(s => s.EventId == eventId)) return Outcome.Duplicate;
        var entry = new StatusEntry { Status = status, At = at, EventId = eventId };
        var index = state.Statuses.FindLastIndex(s => Order(s, entry) < 0) + 1;
        state.Statuses.Insert(index, entry);
        Replay(state);
        if (!entry.Applied) return Outcome.Regression;
        return state.Statuses.Skip(index + 1).Any(s => s.Applied) ? Outcome.Stale : Outcome.Applied;
    }

    private static int Order(StatusEntry a, StatusEntry b)
    {
        var byTime = a.At.CompareTo(b.At);
        if (byTime != 0) return byTime;
        var byStep = PaymentLifecycle.Step(a.Status).CompareTo(PaymentLifecycle.Step(b.Status));
        return byStep != 0 ? byStep : string.CompareOrdinal(a.EventId, b.EventId);
    }

    private static void Replay(PaymentState state)
    {
        PaymentStatus? current = null;
        var since = state.StatusSince;
        StatusRegressionEntry? regression = null;
        foreach (var entry in state.Statuses)
        {
            entry.Applied = current is not { } from || PaymentLifecycle.Allows(from, entry.Status);
            if (!entry.Applied)
            {
                regression = new StatusRegressionEntry { From = current!.Value, To = entry.Status, At = entry.At, EventId = entry.EventId };
                continue;
            }
            // A later report the lifecycle allows supersedes an earlier regression: the source is consistent again.
            regression = null;
            if (current != entry.Status) (current, since) = (entry.Status, entry.At);
        }
        if (current is { } status) (state.Status, state.StatusSince) = (status, since);
        state.Regression = regression;
    }

    private static Outcome ApplyCoreBooked(PaymentState state, PaymentEvent.CoreBooked booked)
    {
        var fact = booked.Fact;
        state.TrnAddedAt = fact.OccurredAt;
        if (state.Core is { } core && core.At > fact.OccurredAt)
        {
            core.TransactionId = fact.TransactionId; // a newer GetTrnRs already told the status and amount
            return Outcome.Applied;
        }
        state.Core = new CoreView
        {
            TransactionId = fact.TransactionId,
            Found = true,
            Status = fact.CoreStatus,
            Amount = fact.Amount,
            Currency = fact.Currency,
            At = fact.OccurredAt,
            Source = "TrnAdded",
        };
        return Outcome.Applied;
    }

    private static Outcome ApplySettled(PaymentState state, PaymentEvent.Settled settled)
    {
        var fact = settled.Fact;
        // A settlement re-sent under a new event id is still one settlement.
        if (state.Settlements.All(s => s.SettlementId != fact.SettlementId))
            state.Settlements.Add(new SettlementEntry { SettlementId = fact.SettlementId, Amount = fact.SettledAmount, At = fact.OccurredAt });
        if (state.Settlements.Max(s => s.At) <= fact.OccurredAt) state.ReconAmount = fact.PaymentAmount;
        return Outcome.Applied;
    }

    private static Outcome ApplyLimits(PaymentState state, PaymentEvent.LimitsChanged changed)
    {
        var fact = changed.Fact;
        var limits = state.Limits ??= new LimitsView { AccountId = fact.AccountId, Consumed = 0m, Restored = 0m, At = fact.OccurredAt };
        if (fact.Action == LimitsAction.CONSUMED) limits.Consumed += fact.Amount;
        else limits.Restored += fact.Amount;
        if (fact.OccurredAt > limits.At) limits.At = fact.OccurredAt;
        return Outcome.Applied;
    }

    private static Outcome ApplyDuplicate(PaymentState state, PaymentEvent.DuplicateFound found)
    {
        state.DuplicateOf ??= found.Finding.DuplicateOf;
        return Outcome.Applied;
    }
}
