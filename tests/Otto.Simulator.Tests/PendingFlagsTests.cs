using Otto.Contracts;
using Otto.Payments.Rules;

namespace Otto.Simulator.Tests;

public class PendingFlagsTests
{
    private static PublishedPayment Published(string id, PaymentKind kind, int partition, long first, long last, PaymentRail rail = PaymentRail.SEPA) =>
        new(new SimulatedPayment(1, id, kind, rail, "d", "c", 1m, "EUR"), partition, first, last);

    private static readonly string Stuck = StuckStatusRule.Name;

    [Fact]
    public void An_unflagged_anomaly_is_missed_only_when_the_same_rule_flagged_a_later_payment_of_its_kind_and_rail_in_its_partition()
    {
        PublishedPayment[] payments =
        [
            Published("p", PaymentKind.CoreSilent, partition: 1, first: 10, last: 12),
            Published("later", PaymentKind.CoreSilent, partition: 1, first: 13, last: 14),          // evidence for p
            Published("q", PaymentKind.CoreSilent, partition: 2, first: 10, last: 12),              // its partition's later payment is another kind
            Published("other-kind", PaymentKind.StuckMismatch, partition: 2, first: 20, last: 21),
            Published("r", PaymentKind.CoreSilent, partition: 3, first: 10, last: 30),              // the flagged one started before r's last fact
            Published("overlapping", PaymentKind.CoreSilent, partition: 3, first: 29, last: 31),
            Published("s", PaymentKind.CoreSilent, partition: 1, first: 10, last: 12, PaymentRail.INSTANT), // another rail: other SLAs
            Published("unpublished", PaymentKind.CoreSilent, partition: -1, first: -1, last: -1),
        ];
        (string, string)[] expected = [.. payments.Select(p => (p.Payment.PaymentId, Stuck))];
        (string, string)[] flagged = [("later", Stuck), ("other-kind", Stuck), ("overlapping", Stuck)];

        var pending = PendingFlags.Of(payments, expected, flagged);

        Assert.Equal(["q", "r", "s", "unpublished"], pending.Select(p => p.PaymentId).Order());
        Assert.DoesNotContain(("p", Stuck), pending); // missed: Otto flagged a later one of its kind in its partition
        var report = SimulationReport.Compute(8, 20, 0, 0, 0, expected, flagged, null, pending);
        Assert.Equal((1, 4, 0), (report.Missed, report.Pending, report.False));
    }

    [Fact]
    public void A_later_flag_by_another_rule_proves_nothing()
    {
        PublishedPayment[] payments =
        [
            Published("p", PaymentKind.MissingInCore, 0, 1, 2),
            Published("later", PaymentKind.MissingInCore, 0, 3, 4),
        ];
        (string, string)[] expected = [("p", Stuck), ("p", MissingCoreTransactionRule.Name), ("later", Stuck), ("later", MissingCoreTransactionRule.Name)];

        var pending = PendingFlags.Of(payments, expected, [("later", MissingCoreTransactionRule.Name)]);

        Assert.Equal([("later", Stuck), ("p", Stuck)], pending.Order());
    }
}
