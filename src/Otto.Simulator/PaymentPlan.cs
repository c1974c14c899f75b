using Otto.Contracts;
using Otto.Contracts.Reference;

namespace Otto.Simulator;

/// <summary>
/// Draws the payments of a run from its seed. The number of anomalies is exact (Payments × AnomalyRate, rounded,
/// dealt evenly over <see cref="PaymentKinds.Anomalies"/>) and so is the number of benign-but-suspicious payments
/// (dealt over <see cref="PaymentKinds.Benign"/>); the seed decides which payment gets which kind, and its rail,
/// accounts and amount. Amounts are unique in the run, so only an injected duplicate matches another payment.
/// </summary>
public static class PaymentPlan
{
    private static readonly string[] Currencies = ["EUR", "EUR", "EUR", "USD", "GBP"];

    /// <summary>The id of payment <paramref name="index"/> of run <paramref name="runId"/>: <c>{runId}-{index:D6}</c>,
    /// e.g. <c>3fa9c1-000042</c>.</summary>
    public static string PaymentId(string runId, int index) => $"{runId}-{index:D6}";

    /// <summary>The prefix every payment id (and poison key) of run <paramref name="runId"/> starts with.</summary>
    public static string Prefix(string runId) => runId + "-";

    /// <summary>The payments of a run, in publishing order.</summary>
    public static IReadOnlyList<SimulatedPayment> Draw(SimulatorOptions options)
    {
        options.Validate();
        var n = options.Payments;
        var anomalies = (int)Math.Round(n * options.AnomalyRate, MidpointRounding.AwayFromZero);
        var benign = (int)Math.Round((n - anomalies) * options.BenignShare, MidpointRounding.AwayFromZero);

        var kinds = new PaymentKind[n];
        for (var i = 0; i < n; i++)
        {
            kinds[i] = i < anomalies ? PaymentKinds.Anomalies[i % PaymentKinds.Anomalies.Count]
                : i < anomalies + benign ? PaymentKinds.Benign[(i - anomalies) % PaymentKinds.Benign.Count]
                : PaymentKind.Normal;
        }

        var random = new Random(options.Seed);
        random.Shuffle(kinds);
        var originals = PairDuplicates(kinds);

        var rails = Enum.GetValues<PaymentRail>();
        var amounts = new HashSet<decimal>();
        var payments = new SimulatedPayment[n];
        for (var i = 0; i < n; i++)
        {
            var index = i + 1;
            decimal amount;
            do amount = random.Next(100, 5_000_000) / 100m;
            while (!amounts.Add(amount));
            payments[i] = new SimulatedPayment(
                index,
                PaymentId(options.RunId, index),
                kinds[i],
                rails[random.Next(rails.Length)],
                Account(random),
                Account(random),
                amount,
                Currencies[random.Next(Currencies.Length)],
                SettlementParts: random.Next(1, 3));
        }
        // A duplicate repeats its original's debtor, creditor, amount and currency under its own id.
        foreach (var (duplicate, original) in originals)
        {
            var o = payments[original];
            payments[duplicate] = payments[duplicate] with
            {
                DebtorAccount = o.DebtorAccount, CreditorAccount = o.CreditorAccount, Amount = o.Amount, Currency = o.Currency, DuplicateOf = o.PaymentId,
            };
        }
        // Duplicate facts last, so the kinds and data of a seed do not depend on DuplicateRate.
        for (var i = 0; i < n; i++)
        {
            var mask = 0;
            for (var step = 0; step < payments[i].Script.Count; step++)
                if (random.NextDouble() < options.DuplicateRate) mask |= 1 << step;
            payments[i] = payments[i] with { DuplicateMask = mask };
        }
        return payments;
    }

    /// <summary>The reference data of a run: every debtor account, ACTIVE, except those of
    /// <see cref="PaymentKind.AccountNotActive"/> payments, CLOSED.</summary>
    public static IReadOnlyList<(string AccountId, AccountStatus Status)> Accounts(IEnumerable<SimulatedPayment> payments) =>
    [
        .. payments.GroupBy(p => p.DebtorAccount)
            .Select(g => (g.Key, g.Any(p => p.Kind == PaymentKind.AccountNotActive) ? AccountStatus.CLOSED : AccountStatus.ACTIVE)),
    ];

    /// <summary>The keys of the run's poison records: payment-id-like, numbered after the last payment.</summary>
    public static IReadOnlyList<string> PoisonKeys(SimulatorOptions options) =>
        [.. Enumerable.Range(options.Payments + 1, options.PoisonRecords).Select(i => PaymentId(options.RunId, i))];

    // Each DuplicatePayment repeats the nearest earlier Normal payment not repeated yet (a normal original is
    // flagged by nothing, so only the duplicate is). With none before it, it trades places with the next Normal
    // one; with none at all it becomes Normal itself.
    private static List<(int Duplicate, int Original)> PairDuplicates(PaymentKind[] kinds)
    {
        var pairs = new List<(int, int)>();
        var used = new HashSet<int>();
        for (var i = 0; i < kinds.Length; i++)
        {
            if (kinds[i] != PaymentKind.DuplicatePayment) continue;
            var original = Enumerable.Range(0, i).Reverse().Where(j => kinds[j] == PaymentKind.Normal && !used.Contains(j)).DefaultIfEmpty(-1).First();
            if (original < 0)
            {
                var later = Array.FindIndex(kinds, i + 1, k => k == PaymentKind.Normal);
                if (later >= 0) (kinds[i], kinds[later]) = (kinds[later], kinds[i]);
                else kinds[i] = PaymentKind.Normal;
                continue; // position i is Normal now; the moved duplicate is paired when the loop reaches it
            }
            used.Add(original);
            pairs.Add((i, original));
        }
        return pairs;
    }

    private static string Account(Random random) => $"NL{random.Next(10, 99)}OTTO{random.NextInt64(1_000_000_000, 9_999_999_999)}";
}
