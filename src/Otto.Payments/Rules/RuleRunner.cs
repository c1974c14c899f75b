using Otto.Contracts;
using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>
/// Turns the rules' checks into episodes and outputs, keeping each rule's <see cref="RuleTrack"/> in the
/// payment's model:
/// <list type="bullet">
/// <item>A check that starts to hold opens a new episode. A violation raises one flag (or one fix command,
/// per the rule's <see cref="RuleAction"/>) for the episode; the flag id <c>{payment}:{rule}:{episode}</c> is its
/// idempotency key.</item>
/// <item>A suspicion asks the core (GetTrnRq keyed <c>{payment}:{rule}:{episode}:{attempt}</c>); the deadline
/// doubles with each attempt; after <see cref="PaymentsOptions.MaxAttempts"/> the rule flags NO_CORE_REPLY.</item>
/// <item>A check that stops holding ends the episode: an open flag is cleared with PaymentFlagCleared and a
/// question in flight is dropped (its reply, if it ever comes, is ignored and counted).</item>
/// </list>
/// </summary>
public sealed class RuleRunner(PaymentsOptions options, IReadOnlyList<IPaymentRule> rules)
{
    /// <summary>Cleared flags a payment keeps for its read side; open flags are always kept.</summary>
    public const int KeptClearedFlags = 8;

    /// <summary>The rules this runner runs.</summary>
    public IReadOnlyList<IPaymentRule> Rules => rules;

    /// <summary>The deterministic correlation id of a question: payment, rule, episode and attempt.</summary>
    public static string CorrelationId(string paymentId, string rule, int episode, int attempt) => $"{paymentId}:{rule}:{episode}:{attempt}";

    /// <summary>The flag's idempotency key: payment, rule and episode.</summary>
    public static string FlagId(string paymentId, string rule, int episode) => $"{paymentId}:{rule}:{episode}";

    /// <summary>Runs the rules on <paramref name="state"/> at <paramref name="now"/> (the timed ones only when
    /// <paramref name="includeTimed"/>); appends what to publish to <paramref name="outputs"/> and returns true when
    /// the state changed. No rule runs before CPR's PaymentAdded: other facts may arrive first, and without the
    /// payment's amount, rail and accounts every rule would judge half a payment.</summary>
    public bool Evaluate(PaymentState state, DateTimeOffset now, List<PaymentOutput> outputs, bool includeTimed = true)
    {
        if (!state.Added) return false;
        var changed = false;
        foreach (var rule in rules)
            if (includeTimed || !rule.IsTimed) changed |= Step(state, rule, rule.Check(state, now), now, outputs);
        return changed;
    }

    /// <summary>When the sweep must next look at the payment (null: only a fact or a reply can change anything): the
    /// reply deadline of a question in flight, and when each timed rule whose episode has not started would start
    /// it. A started episode (asking, confirmed, raised) moves on replies and facts, or at its reply deadline.</summary>
    public DateTimeOffset? NextDue(PaymentState state)
    {
        DateTimeOffset? next = null;
        foreach (var rule in rules)
        {
            if (!rule.IsTimed) continue;
            var track = Track(state, rule.Info.Name);
            var due = track?.Phase switch
            {
                RulePhase.ASKING => track.Pending?.DueAt,
                RulePhase.CONFIRMED or RulePhase.RAISED => null,
                _ => rule.DueAt(state),
            };
            if (due is { } d && (next is null || d < next)) next = d;
        }
        return next;
    }

    /// <summary>Applies the core's reply if it answers a question in flight (any attempt of the current episode:
    /// the core's truth does not depend on which attempt asked, and ignoring a slow reply would turn a slow
    /// round trip into a false NO_CORE_REPLY). Returns false, counting it, when it answers nothing.</summary>
    public bool OnCoreReply(PaymentState state, GetTrnRs reply, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        foreach (var rule in rules)
        {
            if (rule is not ISuspenderRule suspender || Track(state, rule.Info.Name) is not { Pending: { } pending } track) continue;
            var asked = Enumerable.Range(1, pending.Attempt)
                .Any(attempt => CorrelationId(state.PaymentId, rule.Info.Name, track.Episode, attempt) == reply.CorrelationId);
            if (!asked) continue;

            state.Core = new CoreView
            {
                TransactionId = state.Core?.TransactionId,
                Found = reply.Found,
                Status = reply.CoreStatus,
                Amount = reply.CoreAmount ?? (reply.Found ? state.Core?.Amount : null), // a reply without an amount keeps TrnAdded's
                Currency = state.Core?.Currency,
                At = reply.RespondedAt,
                Source = "GetTrnRs",
            };
            if (suspender.OnCoreReply(state, reply) is RuleCheck.Violation violation) Raise(state, track, rule, violation, now, outputs);
            else
            {
                track.Phase = RulePhase.CONFIRMED; // the core agrees: no flag, no more questions this episode
                track.Pending = null;
            }
            return true;
        }
        state.RepliesIgnored++;
        return false;
    }

    /// <summary>Records a source system's answer to a fix command. A refused fix becomes a PaymentFlagged with the
    /// same flag id, so a person looks at it, unless the condition resolved meanwhile. Returns false for answers to
    /// no fix in flight (duplicate, unknown).</summary>
    public bool OnFixReply(PaymentState state, FixPaymentRs reply, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        var flag = state.Flags.FirstOrDefault(f => f.FlagId == reply.IdempotencyKey && f.Fix is not null && f.FixApplied is null);
        if (flag is null)
        {
            state.RepliesIgnored++;
            return false;
        }
        flag.FixApplied = reply.Applied;
        if (!reply.Applied && flag.ClearedAt is null)
        {
            var detail = $"{flag.Fix} was refused: {reply.Detail ?? "no reason given"}. {flag.Detail}";
            outputs.Add(new PaymentOutput.Raise(Flagged(state, flag.Rule, flag.Episode, flag.Reason, detail, null, null, now)));
        }
        return true;
    }

    private bool Step(PaymentState state, IPaymentRule rule, RuleCheck check, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        var name = rule.Info.Name;
        var track = Track(state, name);
        switch (check)
        {
            case RuleCheck.AbsentCheck:
                if (track is null || track.Phase == RulePhase.QUIET) return false;
                if (track.Phase == RulePhase.RAISED) Clear(state, track, now, outputs);
                track.Phase = RulePhase.QUIET;
                track.Pending = null;
                return true;

            case RuleCheck.Violation violation:
                track ??= NewTrack(state, name);
                if (track.Phase == RulePhase.RAISED)
                {
                    // The same condition goes on; a different reason (under- became over-settled) is a new episode.
                    if (OpenFlag(state, track) is not { } open || open.Reason == violation.Reason) return false;
                    Clear(state, track, now, outputs);
                    track.Phase = RulePhase.QUIET;
                }
                if (track.Phase == RulePhase.QUIET) track.Episode++;
                Raise(state, track, rule, violation, now, outputs);
                return true;

            case RuleCheck.Suspicion suspicion:
                if (rule is not ISuspenderRule) throw new InvalidOperationException($"{name} suspects but cannot ask the core.");
                track ??= NewTrack(state, name);
                switch (track.Phase)
                {
                    case RulePhase.QUIET:
                        track.Episode++;
                        Ask(state, track, 1, now, outputs);
                        return true;
                    case RulePhase.ASKING when track.Pending is { } pending && now >= pending.DueAt:
                        if (pending.Attempt >= options.MaxAttempts)
                            Raise(state, track, rule, (RuleCheck.Violation)RuleCheck.Violated(FlagReason.NO_CORE_REPLY,
                                $"No GetTrnRs after {pending.Attempt} attempts. {suspicion.Detail}"), now, outputs);
                        else Ask(state, track, pending.Attempt + 1, now, outputs);
                        return true;
                    default:
                        return false; // waiting, confirmed, or already raised this episode
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(check), check, null);
        }
    }

    private static RuleTrack? Track(PaymentState state, string rule) => state.Rules.Find(t => t.Rule == rule);

    private static RuleTrack NewTrack(PaymentState state, string rule)
    {
        var track = new RuleTrack { Rule = rule, Episode = 0, Phase = RulePhase.QUIET };
        state.Rules.Add(track);
        return track;
    }

    private void Ask(PaymentState state, RuleTrack track, int attempt, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        var correlationId = CorrelationId(state.PaymentId, track.Rule, track.Episode, attempt);
        track.Phase = RulePhase.ASKING;
        track.Pending = new PendingRequest
        {
            CorrelationId = correlationId,
            Rule = track.Rule,
            Attempt = attempt,
            SentAt = now,
            DueAt = now + options.ReplyTimeout * Math.Pow(2, attempt - 1),
        };
        outputs.Add(new PaymentOutput.Ask(new GetTrnRq
        {
            CorrelationId = correlationId,
            PaymentId = state.PaymentId,
            Rule = track.Rule,
            Attempt = attempt,
            RequestedAt = now,
        }));
    }

    private void Raise(PaymentState state, RuleTrack track, IPaymentRule rule, RuleCheck.Violation violation, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        track.Phase = RulePhase.RAISED;
        track.Pending = null;
        var fix = options.Rule(rule.Info.Name).Action == RuleAction.Fix;
        var entry = new FlagEntry
        {
            FlagId = FlagId(state.PaymentId, rule.Info.Name, track.Episode),
            Rule = rule.Info.Name,
            Episode = track.Episode,
            Reason = violation.Reason,
            Detail = violation.Detail,
            RaisedAt = now,
            Fix = fix ? rule.Info.Fix : null,
        };
        state.Flags.Add(entry);
        if (fix)
            outputs.Add(new PaymentOutput.Fix(new FixPaymentRq
            {
                IdempotencyKey = entry.FlagId,
                PaymentId = state.PaymentId,
                Rule = entry.Rule,
                Reason = entry.Reason,
                Intent = rule.Info.Fix,
                TargetSystem = rule.Info.FixTarget,
                Detail = entry.Detail,
                RequestedAt = now,
            }));
        else
            outputs.Add(new PaymentOutput.Raise(Flagged(state, entry.Rule, entry.Episode, entry.Reason, entry.Detail, violation.CoreStatus, violation.Surplus, now)));
    }

    private static PaymentFlagged Flagged(PaymentState state, string rule, int episode, FlagReason reason, string detail,
        PaymentStatus? coreStatus, decimal? surplus, DateTimeOffset now) => new()
    {
        FlagId = FlagId(state.PaymentId, rule, episode),
        PaymentId = state.PaymentId,
        Rule = rule,
        Reason = reason,
        Detail = detail,
        OttoStatus = state.Status,
        CoreStatus = coreStatus,
        RaisedAt = now,
        Episode = episode,
        Surplus = surplus,
    };

    private static FlagEntry? OpenFlag(PaymentState state, RuleTrack track)
    {
        var flagId = FlagId(state.PaymentId, track.Rule, track.Episode);
        return state.Flags.Find(f => f.FlagId == flagId && f.ClearedAt is null);
    }

    private static void Clear(PaymentState state, RuleTrack track, DateTimeOffset now, List<PaymentOutput> outputs)
    {
        if (OpenFlag(state, track) is not { } flag) return;
        flag.ClearedAt = now;
        outputs.Add(new PaymentOutput.Clear(new PaymentFlagCleared
        {
            FlagId = flag.FlagId,
            PaymentId = state.PaymentId,
            Rule = flag.Rule,
            Reason = flag.Reason,
            Detail = $"The condition behind {flag.Reason} no longer holds.",
            RaisedAt = flag.RaisedAt,
            ClearedAt = now,
        }));
        var cleared = state.Flags.Where(f => f.ClearedAt is not null).ToList();
        foreach (var old in cleared.Take(cleared.Count - KeptClearedFlags)) state.Flags.Remove(old);
    }
}
