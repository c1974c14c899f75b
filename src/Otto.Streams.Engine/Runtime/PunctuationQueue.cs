using Otto.Streams.Processors;

namespace Otto.Streams.Runtime;

/// <summary>
/// The punctuations of one task for one clock. When the clock jumps several intervals at once, a punctuator
/// runs once (as in Kafka Streams), and its next time stays on the grid of its interval.
/// </summary>
internal sealed class PunctuationQueue
{
    private readonly List<Schedule> _schedules = [];

    public ICancellable Add(ProcessorNode node, long intervalMs, long nowMs, Action<long> punctuator)
    {
        if (intervalMs <= 0) throw new ArgumentOutOfRangeException(nameof(intervalMs), "A punctuation interval must be positive.");
        var schedule = new Schedule(node, intervalMs, punctuator) { NextMs = nowMs < 0 ? -1 : nowMs + intervalMs };
        _schedules.Add(schedule);
        return schedule;
    }

    /// <summary>Runs the due punctuators at time <paramref name="nowMs"/>; returns how many ran.</summary>
    public int MaybePunctuate(long nowMs, Action<ProcessorNode, long, Action<long>> run)
    {
        var ran = 0;
        _schedules.RemoveAll(s => s.Cancelled);
        foreach (var s in _schedules.ToList())
        {
            // A stream-time schedule made before any record starts its grid at the first known time.
            if (s.NextMs < 0) s.NextMs = nowMs + s.IntervalMs;
            if (s.Cancelled || nowMs < s.NextMs) continue;
            s.NextMs += (nowMs - s.NextMs) / s.IntervalMs * s.IntervalMs + s.IntervalMs;
            run(s.Node, nowMs, s.Punctuator);
            ran++;
        }
        return ran;
    }

    private sealed class Schedule(ProcessorNode node, long intervalMs, Action<long> punctuator) : ICancellable
    {
        public ProcessorNode Node { get; } = node;
        public long IntervalMs { get; } = intervalMs;
        public Action<long> Punctuator { get; } = punctuator;
        public long NextMs { get; set; }
        public bool Cancelled { get; private set; }
        public void Cancel() => Cancelled = true;
    }
}
