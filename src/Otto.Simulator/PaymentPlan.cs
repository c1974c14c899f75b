using Otto.Contracts;

namespace Otto.Simulator;

/// <summary>
/// Draws the payments of a run from its seed. The number of anomalies is exact (Payments × AnomalyRate,
/// rounded, dealt evenly over the three anomaly kinds) and so is the number of slow-but-consistent payments;
/// the seed decides which payment gets which kind, and its rail, accounts and amount.
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
        var slow = (int)Math.Round((n - anomalies) * options.SlowShare, MidpointRounding.AwayFromZero);

        var kinds = new PaymentKind[n];
        for (var i = 0; i < n; i++)
        {
            kinds[i] = i < anomalies ? PaymentKinds.Anomalies[i % PaymentKinds.Anomalies.Count]
                : i < anomalies + slow ? PaymentKind.SlowButConsistent
                : PaymentKind.Normal;
        }

        var random = new Random(options.Seed);
        random.Shuffle(kinds);

        var rails = Enum.GetValues<PaymentRail>();
        var payments = new SimulatedPayment[n];
        for (var i = 0; i < n; i++)
        {
            var index = i + 1;
            payments[i] = new SimulatedPayment(
                index,
                PaymentId(options.RunId, index),
                kinds[i],
                rails[random.Next(rails.Length)],
                Account(random),
                Account(random),
                random.Next(100, 5_000_000) / 100m,
                Currencies[random.Next(Currencies.Length)]);
        }
        // Duplicates last, so the kinds and data of a seed do not depend on DuplicateRate.
        for (var i = 0; i < n; i++)
        {
            var mask = 0;
            for (var step = 0; step < payments[i].Lifecycle.Count; step++)
                if (random.NextDouble() < options.DuplicateRate) mask |= 1 << step;
            payments[i] = payments[i] with { DuplicateMask = mask };
        }
        return payments;
    }

    /// <summary>The keys of the run's poison records: payment-id-like, numbered after the last payment.</summary>
    public static IReadOnlyList<string> PoisonKeys(SimulatorOptions options) =>
        [.. Enumerable.Range(options.Payments + 1, options.PoisonRecords).Select(i => PaymentId(options.RunId, i))];

    private static string Account(Random random) => $"NL{random.Next(10, 99)}OTTO{random.NextInt64(1_000_000_000, 9_999_999_999)}";
}
