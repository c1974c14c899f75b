using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Model;

namespace Otto.Payments.Rules;

/// <summary>
/// StuckStatus: a payment in a non-terminal status for longer than its rail's SLA. Otto does not flag on
/// its own view alone: it asks the core (GetTrnRq) and flags only when the core disagrees, does not know the
/// payment, or does not answer after <see cref="PaymentsOptions.MaxAttempts"/> attempts with exponential
/// backoff. One flag at most per episode (a status change starts a new episode).
/// </summary>
public sealed class StuckStatusRule(PaymentsOptions options)
{
    /// <summary>The rule's name in correlation ids, flags and the rule catalog.</summary>
    public const string Name = "StuckStatus";

    /// <summary>The deterministic correlation id of an attempt: payment, rule, episode and attempt.</summary>
    public static string CorrelationId(string paymentId, int episode, int attempt) => $"{paymentId}:{Name}:{episode}:{attempt}";

    /// <summary>The flag's idempotency key: payment, rule and episode.</summary>
    public static string FlagId(string paymentId, int episode) => $"{paymentId}:{Name}:{episode}";

    /// <summary>The periodic check at wall-clock <paramref name="now"/>: returns what to publish (if anything),
    /// having updated <paramref name="state"/> accordingly.</summary>
    public RuleOutput? OnSweep(PaymentState state, DateTimeOffset now)
    {
        if (PaymentLifecycle.IsTerminal(state.Status) || Settled(state)) return null;

        if (state.Pending is { } pending)
        {
            if (now < pending.DueAt) return null;
            if (pending.Attempt >= options.MaxAttempts)
                return Flag(state, now, FlagReason.NO_CORE_REPLY, null,
                    $"No GetTrnRs after {pending.Attempt} attempts; status {state.Status} since {state.StatusSince:O}");
            return Ask(state, pending.Attempt + 1, now);
        }

        return now - state.StatusSince >= options.SlaFor(state.Rail) ? Ask(state, 1, now) : null;
    }

    /// <summary>The core's reply for this payment: returns a flag when the core disagrees, null when it agrees
    /// or when the reply answers no open question (late, duplicate or unknown: counted, never applied).</summary>
    /// <remarks>A reply to an earlier attempt of the question still open answers it as well as the latest
    /// attempt would: the core's truth does not depend on which attempt asked. Ignoring it would turn a slow
    /// round trip into a false "no core reply" flag.</remarks>
    public (RuleOutput? Output, bool Applied) OnReply(PaymentState state, GetTrnRs reply, DateTimeOffset now)
    {
        if (state.Pending is not { } pending || !AsksFor(state, pending, reply.CorrelationId))
        {
            state.RepliesIgnored++;
            return (null, false);
        }
        if (!reply.Found)
            return (Flag(state, now, FlagReason.NOT_FOUND_IN_CORE, null, "The core has no transaction for this payment"), true);
        if (reply.CoreStatus != state.Status)
            return (Flag(state, now, FlagReason.STATUS_MISMATCH, reply.CoreStatus,
                $"Otto has {state.Status} since {state.StatusSince:O}, the core has {reply.CoreStatus}"), true);

        // The core confirms the status: the payment is slow, not inconsistent. Ask no more this episode.
        state.Pending = null;
        state.ResolvedEpisode = state.Episode;
        return (null, true);
    }

    private static bool AsksFor(PaymentState state, PendingRequest pending, string correlationId) =>
        Enumerable.Range(1, pending.Attempt).Any(attempt => CorrelationId(state.PaymentId, state.Episode, attempt) == correlationId);

    private static bool Settled(PaymentState state) => state.FlaggedEpisode >= state.Episode || state.ResolvedEpisode >= state.Episode;

    private RuleOutput Ask(PaymentState state, int attempt, DateTimeOffset now)
    {
        var correlationId = CorrelationId(state.PaymentId, state.Episode, attempt);
        var wait = options.ReplyTimeout * Math.Pow(2, attempt - 1);
        state.Pending = new PendingRequest
        {
            CorrelationId = correlationId,
            Rule = Name,
            Attempt = attempt,
            SentAt = now,
            DueAt = now + wait,
        };
        return RuleOutput.Ask(new GetTrnRq
        {
            CorrelationId = correlationId,
            PaymentId = state.PaymentId,
            Rule = Name,
            Attempt = attempt,
            RequestedAt = now,
        });
    }

    private static RuleOutput Flag(PaymentState state, DateTimeOffset now, FlagReason reason, PaymentStatus? coreStatus, string detail)
    {
        state.Pending = null;
        state.FlaggedEpisode = state.Episode;
        return RuleOutput.Raise(new PaymentFlagged
        {
            FlagId = FlagId(state.PaymentId, state.Episode),
            PaymentId = state.PaymentId,
            Rule = Name,
            Reason = reason,
            Detail = detail,
            OttoStatus = state.Status,
            CoreStatus = coreStatus,
            RaisedAt = now,
        });
    }
}
