using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Model;

/// <summary>
/// Folds CPR's facts into the payment model. A fact whose event id was applied recently changes nothing; a
/// status fact older than the current status (facts arrive out of order across topics) does not move the
/// status back. A new status starts a new episode, which cancels any question in flight about the old one.
/// </summary>
public sealed class FactApplier(int recentEventIds)
{
    /// <summary>What applying a fact did.</summary>
    public enum Outcome
    {
        /// <summary>The model changed.</summary>
        Applied,
        /// <summary>The event id was seen before: nothing changed.</summary>
        Duplicate,
        /// <summary>Recorded, but its status is older than the current one, so the status stayed.</summary>
        Stale,
    }

    /// <summary>Applies <paramref name="fact"/> to <paramref name="state"/> (null: first fact of this payment).</summary>
    public (PaymentState State, Outcome Outcome) Apply(PaymentState? state, PaymentEvent fact)
    {
        var (eventId, paymentId, occurredAt, status) = fact switch
        {
            PaymentEvent.Added a => (a.Fact.EventId, a.Fact.PaymentId, a.Fact.OccurredAt, a.Fact.Status),
            PaymentEvent.StatusChanged s => (s.Fact.EventId, s.Fact.PaymentId, s.Fact.OccurredAt, s.Fact.Status),
            _ => throw new ArgumentException($"{fact.GetType().Name} is not a CPR fact.", nameof(fact)),
        };
        if (state is not null && state.RecentEventIds.Contains(eventId)) return (state, Outcome.Duplicate);

        state ??= new PaymentState
        {
            PaymentId = paymentId,
            Status = status,
            StatusSince = occurredAt,
            Episode = 1,
            RecentEventIds = [],
        };
        Remember(state, eventId);

        if (fact is PaymentEvent.Added added)
        {
            state.Added = true;
            state.Rail = added.Fact.Rail;
            state.Amount = added.Fact.Amount;
            state.Currency = added.Fact.Currency;
        }

        if (occurredAt < state.StatusSince) return (state, Outcome.Stale);
        if (status != state.Status)
        {
            state.Status = status;
            state.StatusSince = occurredAt;
            state.Episode++;
            state.Pending = null;
        }
        return (state, Outcome.Applied);
    }

    private void Remember(PaymentState state, string eventId)
    {
        state.RecentEventIds.Add(eventId);
        if (state.RecentEventIds.Count > recentEventIds) state.RecentEventIds.RemoveRange(0, state.RecentEventIds.Count - recentEventIds);
    }
}
