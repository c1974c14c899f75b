using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Limits;
using Otto.Contracts.Recon;
using Otto.Contracts.Reference;
using Otto.Contracts.Wso2;
using Otto.Payments.Model;

namespace Otto.Bench;

/// <summary>
/// The facts of the payments benchmarks: a deterministic mix of payment kinds, mostly normal payments, each kind a
/// fixed sequence of facts from every source system (CPR, WSO2, Recon, Limits), keyed by payment id. Payment
/// <c>i</c> starts at <c>start + i·spacing</c> and its facts follow <see cref="StepGap"/> apart. Creditor accounts
/// are unique per payment, so the duplicate detector finds nothing the mix did not plan.
/// </summary>
internal sealed class PaymentsWorkload(DateTimeOffset start, TimeSpan spacing)
{
    /// <summary>What a payment goes through; the anomalies make the rules flag (AmountMismatch, StatusRegression,
    /// SettlementBalance, AccountNotActive).</summary>
    public enum Kind { Normal, SplitSettled, Failed, Cancelled, InFlight, AmountMismatch, StatusRegression, OverSettled, ClosedAccount }

    /// <summary>Time between two facts of one payment.</summary>
    public static readonly TimeSpan StepGap = TimeSpan.FromSeconds(20);

    /// <summary>Active debtor accounts (plus <see cref="ClosedAccounts"/> closed ones), as the reference table holds them.</summary>
    public const int ActiveAccounts = 1_000, ClosedAccounts = 10;

    /// <summary>The kind of payment <paramref name="index"/> in the realistic mix: per hundred payments 80 normal,
    /// 5 settled in two parts, 5 failed (limits restored), 3 cancelled, 3 still in flight and one of each anomaly.</summary>
    public static Kind Mix(int index) => (index % 100) switch
    {
        < 80 => Kind.Normal,
        < 85 => Kind.SplitSettled,
        < 90 => Kind.Failed,
        < 93 => Kind.Cancelled,
        < 96 => Kind.InFlight,
        96 => Kind.AmountMismatch,
        97 => Kind.StatusRegression,
        98 => Kind.OverSettled,
        _ => Kind.ClosedAccount,
    };

    public static string PaymentId(int index) => $"pay-{index:D8}";

    /// <summary>When payment 0 starts.</summary>
    public DateTimeOffset Start => start;

    /// <summary>The reference table: every account the mix uses, closed ones last.</summary>
    public static IEnumerable<Account> Accounts(DateTimeOffset at) =>
        Enumerable.Range(0, ActiveAccounts).Select(a => Account($"DE{a:D20}", AccountStatus.ACTIVE, at))
            .Concat(Enumerable.Range(0, ClosedAccounts).Select(a => Account($"DE99{a:D18}", AccountStatus.CLOSED, at)));

    private static Account Account(string id, AccountStatus status, DateTimeOffset at) =>
        new() { AccountId = id, Status = status, DailyLimit = 50_000m, Currency = "EUR", UpdatedAt = at };

    /// <summary>The facts of payment <paramref name="index"/>, in occurred-at order. PaymentAdded carries the debtor
    /// account's reference record (what the topology's global-table join would attach).</summary>
    public IReadOnlyList<PaymentEvent> Facts(int index, Kind kind)
    {
        var id = PaymentId(index);
        var at = start + spacing * index;
        var step = 0;
        var amount = 10m + index % 100_000 / 100m;
        var closed = kind == Kind.ClosedAccount;
        var debtor = closed ? $"DE99{index % ClosedAccounts:D18}" : $"DE{index % ActiveAccounts:D20}";
        var facts = new List<PaymentEvent>(8);

        string EventId() => $"{id}-{step}";
        DateTimeOffset Next() => at + StepGap * step++;
        void Status(PaymentStatus status) =>
            facts.Add(new PaymentEvent.StatusChanged(new PaymentStatusChanged { EventId = EventId(), PaymentId = id, OccurredAt = Next(), Status = status }));
        void Booked(decimal booked) =>
            facts.Add(new PaymentEvent.CoreBooked(new TrnAdded
            {
                EventId = EventId(), PaymentId = id, OccurredAt = Next(), TransactionId = $"trn-{index:D8}", Amount = booked, Currency = "EUR",
                CoreStatus = PaymentStatus.PROCESSING,
            }));
        void Limits(LimitsAction action) =>
            facts.Add(new PaymentEvent.LimitsChanged(new LimitsUpdated { EventId = EventId(), PaymentId = id, OccurredAt = Next(), AccountId = debtor, Action = action, Amount = amount }));
        void Settled(int part, decimal settled) =>
            facts.Add(new PaymentEvent.Settled(new PaymentSettled
            {
                EventId = EventId(), PaymentId = id, OccurredAt = Next(), SettlementId = $"stl-{index:D8}-{part}", SettledAmount = settled,
                PaymentAmount = amount, Currency = "EUR",
            }));

        facts.Add(new PaymentEvent.Added(new PaymentAdded
        {
            EventId = EventId(), PaymentId = id, OccurredAt = Next(), Rail = (PaymentRail)(index % 4), DebtorAccount = debtor,
            CreditorAccount = $"NL{index:D16}", Amount = amount, Currency = "EUR", Status = PaymentStatus.ADDED, Reference = $"invoice {index}",
        }, Account(debtor, closed ? AccountStatus.CLOSED : AccountStatus.ACTIVE, start)));
        switch (kind)
        {
            case Kind.Cancelled:
                facts.Add(new PaymentEvent.Cancelled(new PaymentCancelled { EventId = EventId(), PaymentId = id, OccurredAt = Next(), Reason = "customer" }));
                return facts;
            case Kind.ClosedAccount:
                Status(PaymentStatus.PENDING);
                return facts;
            case Kind.Failed:
                Status(PaymentStatus.PENDING);
                Limits(LimitsAction.CONSUMED);
                Status(PaymentStatus.FAILED);
                Limits(LimitsAction.RESTORED);
                return facts;
        }
        Status(PaymentStatus.PENDING);
        Booked(kind == Kind.AmountMismatch ? amount + 1m : amount);
        Status(PaymentStatus.PROCESSING);
        if (kind == Kind.InFlight) return facts;
        Limits(LimitsAction.CONSUMED);
        Status(PaymentStatus.COMPLETED);
        if (kind == Kind.SplitSettled)
        {
            var half = Math.Round(amount / 2, 2);
            Settled(1, half);
            Settled(2, amount - half);
        }
        else Settled(1, kind == Kind.OverSettled ? amount + 5m : amount);
        if (kind == Kind.StatusRegression) Status(PaymentStatus.PROCESSING);
        return facts;
    }

    /// <summary>The payment and the occurred-at time of a source system's fact.</summary>
    public static (string PaymentId, DateTimeOffset OccurredAt) Describe(PaymentEvent fact) => fact switch
    {
        PaymentEvent.Added e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        PaymentEvent.StatusChanged e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        PaymentEvent.Cancelled e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        PaymentEvent.CoreBooked e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        PaymentEvent.Settled e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        PaymentEvent.LimitsChanged e => (e.Fact.PaymentId, e.Fact.OccurredAt),
        _ => throw new ArgumentException($"{fact.GetType().Name} is not a source system's fact.", nameof(fact)),
    };

    /// <summary>The facts of <paramref name="payments"/> as the source systems would publish them with
    /// <paramref name="inFlight"/> payments under way at a time: step by step across a group of payments.</summary>
    public IEnumerable<PaymentEvent> Interleaved(IEnumerable<(int Index, Kind Kind)> payments, int inFlight)
    {
        foreach (var group in payments.Chunk(inFlight))
        {
            var facts = group.Select(p => Facts(p.Index, p.Kind)).ToArray();
            for (var step = 0; facts.Any(f => step < f.Count); step++)
                foreach (var f in facts)
                    if (step < f.Count) yield return f[step];
        }
    }

    /// <summary>The facts of payments 0 to <paramref name="payments"/> - 1 in occurred-at order (ties by payment index),
    /// each with its payment's index: what one instance sees over time. Only the payments under way are held.</summary>
    public IEnumerable<(int Index, PaymentEvent Fact)> Chronological(int payments)
    {
        var pending = new PriorityQueue<(int Index, IReadOnlyList<PaymentEvent> Facts, int Step), (DateTimeOffset At, int Index)>();
        var next = 0;
        while (next < payments || pending.Count > 0)
        {
            // Every payment that starts no later than the earliest pending fact joins the queue first.
            while (next < payments && (!pending.TryPeek(out _, out var first) || start + spacing * next <= first.At))
            {
                var facts = Facts(next, Mix(next));
                pending.Enqueue((next, facts, 0), (Describe(facts[0]).OccurredAt, next));
                next++;
            }
            var (index, all, step) = pending.Dequeue();
            yield return (index, all[step]);
            if (step + 1 < all.Count) pending.Enqueue((index, all, step + 1), (Describe(all[step + 1]).OccurredAt, index));
        }
    }
}
