using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments.Rules;

namespace Otto.Payments.Tests.Rules;

/// <summary>StatusRegression: a status the lifecycle does not allow after the one before it by occurred-at.</summary>
public class StatusRegressionTests
{
    private const string Rule = StatusRegressionRule.Name;
    private static readonly DateTimeOffset T0 = PaymentsHarness.T0;

    [Fact]
    public void A_completed_payment_reported_processing_again_is_flagged_and_keeps_its_status()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(1));

        h.ChangeStatus("p1", PaymentStatus.PROCESSING, eventId: "evt-back", at: T0 + TimeSpan.FromMinutes(2));

        var flag = h.SingleFlag("p1", Rule, 1, FlagReason.STATUS_REGRESSION);
        Assert.StartsWith("CPR reported COMPLETED → PROCESSING", flag.Detail);
        Assert.Contains("evt-back", flag.Detail);
        var state = h.State("p1")!;
        Assert.Equal(PaymentStatus.COMPLETED, state.Status);
        Assert.Equal([true, true, false], state.Statuses.Select(s => s.Applied));
        Assert.Equal("regression", state.History[^1].Outcome);
    }

    [Theory]
    [InlineData(PaymentStatus.FAILED, PaymentStatus.COMPLETED)]
    [InlineData(PaymentStatus.CANCELLED, PaymentStatus.PENDING)]
    [InlineData(PaymentStatus.PROCESSING, PaymentStatus.PENDING)]
    public void Leaving_a_terminal_status_or_stepping_back_is_a_regression(PaymentStatus from, PaymentStatus to)
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", PaymentStatus.ADDED);
        h.ChangeStatus("p1", from, at: T0 + TimeSpan.FromMinutes(1));
        h.ChangeStatus("p1", to, at: T0 + TimeSpan.FromMinutes(2));

        Assert.Equal(FlagReason.STATUS_REGRESSION, Assert.Single(h.Flags.ReadValueList()).Reason);
        Assert.Equal(from, h.State("p1")!.Status);
    }

    [Fact]
    public void Forward_skips_repeats_and_a_late_older_status_are_not_regressions()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1", PaymentStatus.ADDED);
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, at: T0 + TimeSpan.FromMinutes(1)); // PENDING skipped
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, at: T0 + TimeSpan.FromMinutes(2)); // reported twice
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(3));
        h.ChangeStatus("p1", PaymentStatus.PENDING, at: T0 + TimeSpan.FromSeconds(30)); // late

        Assert.Empty(h.Flags.ReadValueList());
        var state = h.State("p1")!;
        Assert.Equal((PaymentStatus.COMPLETED, T0 + TimeSpan.FromMinutes(3)), (state.Status, state.StatusSince));
        Assert.Equal("stale", state.History[^1].Outcome);
        Assert.All(state.Statuses, s => Assert.True(s.Applied));
    }

    [Fact]
    public void A_later_allowed_report_clears_the_flag_and_a_new_regression_is_a_new_episode()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(1));
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, at: T0 + TimeSpan.FromMinutes(2));
        Assert.Single(h.Flags.ReadValueList());

        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(3));
        h.SingleCleared("p1", Rule, 1, FlagReason.STATUS_REGRESSION);
        Assert.Null(h.State("p1")!.Regression);

        h.ChangeStatus("p1", PaymentStatus.PENDING, at: T0 + TimeSpan.FromMinutes(4));
        Assert.Equal("p1:StatusRegression:2", Assert.Single(h.Flags.ReadValueList()).FlagId);
    }

    [Fact]
    public void The_regressing_fact_redelivered_after_clearing_changes_nothing()
    {
        using var h = new PaymentsHarness(Rule);
        h.AddPayment("p1");
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(1));
        h.ChangeStatus("p1", PaymentStatus.PROCESSING, eventId: "evt-back", at: T0 + TimeSpan.FromMinutes(2));
        h.ChangeStatus("p1", PaymentStatus.COMPLETED, at: T0 + TimeSpan.FromMinutes(3));
        h.Flags.ReadValueList();
        h.Cleared.ReadValueList();

        h.ChangeStatus("p1", PaymentStatus.PROCESSING, eventId: "evt-back", at: T0 + TimeSpan.FromMinutes(2));

        Assert.Empty(h.Flags.ReadValueList());
        Assert.Empty(h.Cleared.ReadValueList());
        Assert.Equal(4, h.State("p1")!.Statuses.Count);
    }

    [Fact]
    public void The_same_statuses_in_any_arrival_order_give_the_same_status_and_one_flag()
    {
        (string EventId, PaymentStatus Status, TimeSpan At)[] statuses =
        [
            ("s1", PaymentStatus.COMPLETED, TimeSpan.FromMinutes(1)),
            ("s2", PaymentStatus.PROCESSING, TimeSpan.FromMinutes(2)),
        ];
        var outcomes = new List<string>();
        foreach (var addedFirst in new[] { true, false })
        foreach (var order in new[] { statuses, statuses.Reverse().ToArray() })
        {
            using var h = new PaymentsHarness(Rule);
            if (addedFirst) h.AddPayment("p1", eventId: "a");
            foreach (var (eventId, status, at) in order) h.ChangeStatus("p1", status, eventId, T0 + at);
            if (!addedFirst) h.AddPayment("p1", eventId: "a", at: T0);

            var state = h.State("p1")!;
            var flags = h.Flags.ReadValueList();
            outcomes.Add($"{state.Status} since {state.StatusSince:O}; regression {state.Regression?.From}→{state.Regression?.To} ({state.Regression?.EventId}); " +
                $"flags {string.Join(",", flags.Select(f => f.FlagId))}; cleared {h.Cleared.ReadValueList().Count()}");
        }
        Assert.Equal("COMPLETED since 2026-01-01T00:01:00.0000000+00:00; regression COMPLETED→PROCESSING (s2); flags p1:StatusRegression:1; cleared 0", outcomes[0]);
        Assert.All(outcomes, o => Assert.Equal(outcomes[0], o));
    }
}
