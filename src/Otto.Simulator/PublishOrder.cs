using Otto.Contracts;

namespace Otto.Simulator;

/// <summary>Where and in which order each payment of a run was written: the partition its facts went to (all
/// co-partitioned topics share it) and the positions of its first and last fact in the order the sources sent
/// them. The evidence that tells a missed flag from one still pending (<see cref="PendingFlags"/>).</summary>
internal sealed class PublishOrder
{
    private readonly int[] _partition;
    private readonly long[] _first;
    private readonly long[] _last;
    private long _sent;

    public PublishOrder(int payments)
    {
        _partition = Enumerable.Repeat(-1, payments).ToArray();
        _first = Enumerable.Repeat(-1L, payments).ToArray();
        _last = Enumerable.Repeat(-1L, payments).ToArray();
    }

    /// <summary>Payment <paramref name="position"/> sends a fact now (called by the single publishing thread).</summary>
    public void Sent(int position)
    {
        var at = Interlocked.Increment(ref _sent);
        if (Volatile.Read(ref _first[position]) < 0) Volatile.Write(ref _first[position], at);
        Volatile.Write(ref _last[position], at);
    }

    /// <summary>The broker acknowledged a fact of payment <paramref name="position"/> in <paramref name="partition"/>.</summary>
    public void Delivered(int position, int partition) => Volatile.Write(ref _partition[position], partition);

    /// <summary>What is known of payment <paramref name="position"/> now.</summary>
    public PublishedPayment Of(SimulatedPayment payment, int position) =>
        new(payment, Volatile.Read(ref _partition[position]), Volatile.Read(ref _first[position]), Volatile.Read(ref _last[position]));
}

/// <summary>A payment as published: <paramref name="Partition"/> -1 until a fact was acknowledged; <paramref name="FirstSent"/>
/// and <paramref name="LastSent"/> (-1 before any) order its facts among all facts of the run.</summary>
public sealed record PublishedPayment(SimulatedPayment Payment, int Partition, long FirstSent, long LastSent);

/// <summary>
/// Tells a missed flag from a pending one. An expected (payment, rule) not flagged is <b>missed</b> only when Otto
/// provably went past the point where it should have flagged it: the same rule flagged a later payment of the same
/// kind and rail (so the same SLAs and reply timeouts apply, and its deadline came later) whose facts were written to
/// the same partition after every fact of this one (so the task read this payment's facts first). Otherwise it is
/// <b>pending</b>: Otto may be late (a rebalance, a stopped worker, a wait that ended too soon), not wrong.
/// </summary>
public static class PendingFlags
{
    /// <summary>The expected pairs that are neither flagged nor provably overdue.</summary>
    public static IReadOnlySet<(string PaymentId, string Rule)> Of(IEnumerable<PublishedPayment> payments,
        IEnumerable<(string PaymentId, string Rule)> expected, IEnumerable<(string PaymentId, string Rule)> flagged)
    {
        var flaggedSet = flagged.ToHashSet();
        var byId = payments.ToDictionary(p => p.Payment.PaymentId, StringComparer.Ordinal);
        // Per (rule, kind, rail, partition): the latest first fact of a payment that rule flagged.
        var latestFlagged = new Dictionary<(string Rule, PaymentKind Kind, PaymentRail Rail, int Partition), long>();
        foreach (var (paymentId, rule) in flaggedSet)
        {
            if (!byId.TryGetValue(paymentId, out var q) || q.Partition < 0) continue;
            var key = (rule, q.Payment.Kind, q.Payment.Rail, q.Partition);
            if (!latestFlagged.TryGetValue(key, out var first) || q.FirstSent > first) latestFlagged[key] = q.FirstSent;
        }
        var pending = new HashSet<(string PaymentId, string Rule)>();
        foreach (var pair in expected)
        {
            if (flaggedSet.Contains(pair)) continue;
            var overdue = byId.TryGetValue(pair.PaymentId, out var p) && p.Partition >= 0 && p.LastSent >= 0
                && latestFlagged.TryGetValue((pair.Rule, p.Payment.Kind, p.Payment.Rail, p.Partition), out var later) && later > p.LastSent;
            if (!overdue) pending.Add(pair);
        }
        return pending;
    }
}
