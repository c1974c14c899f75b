namespace Otto.Payments.Rules;

/// <summary>The integrity rules of the payments topology, in the order they run.</summary>
public static class PaymentRules
{
    /// <summary>Every rule's name (also the keys of Otto:Payments:Rules).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        StuckStatusRule.Name, MissingCoreTransactionRule.Name, AmountMismatchRule.Name, MissingSettlementRule.Name,
        SettlementBalanceRule.Name, DuplicatePaymentRule.Name, StatusRegressionRule.Name, LimitsNotRestoredRule.Name,
        AccountNotActiveRule.Name,
    ];

    /// <summary>Every rule, enabled or not (the rule catalog lists them all).</summary>
    public static IReadOnlyList<IPaymentRule> All(PaymentsOptions options) =>
    [
        new StuckStatusRule(options), new MissingCoreTransactionRule(options), new AmountMismatchRule(options),
        new MissingSettlementRule(options), new SettlementBalanceRule(options), new DuplicatePaymentRule(),
        new StatusRegressionRule(), new LimitsNotRestoredRule(options), new AccountNotActiveRule(),
    ];

    /// <summary>The rules that run: those not disabled in <paramref name="options"/>.</summary>
    public static IReadOnlyList<IPaymentRule> Create(PaymentsOptions options) =>
        [.. All(options).Where(rule => options.Rule(rule.Info.Name).Enabled)];

    /// <summary>The longest SLA any enabled rule waits (configured or default, over every rail): with the reply
    /// timeouts, how long a condition can take to become a flag.</summary>
    public static TimeSpan LongestSla(PaymentsOptions options)
    {
        (string Rule, TimeSpan Default)[] timed =
        [
            (StuckStatusRule.Name, StuckStatusRule.DefaultSla), (MissingCoreTransactionRule.Name, MissingCoreTransactionRule.DefaultSla),
            (MissingSettlementRule.Name, MissingSettlementRule.DefaultSla), (SettlementBalanceRule.Name, SettlementBalanceRule.DefaultSla),
            (LimitsNotRestoredRule.Name, LimitsNotRestoredRule.DefaultSla),
        ];
        return timed.Where(t => options.Rule(t.Rule).Enabled)
            .Select(t => options.Rule(t.Rule) is var rule ? rule.SlaByRail.Values.Append(rule.Sla ?? t.Default).Max() : t.Default)
            .DefaultIfEmpty(TimeSpan.Zero).Max();
    }
}
