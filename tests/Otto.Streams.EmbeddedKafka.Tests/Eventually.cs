using System.Diagnostics;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks <paramref name="condition"/> every 10 ms.</summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Loop(condition, what, timeout, pause: TimeSpan.FromMilliseconds(10));

    /// <summary>Runs <paramref name="step"/> back to back; for steps that wait themselves, like Consume(timeout).</summary>
    public static void Repeat(Func<bool> step, string what, TimeSpan? timeout = null) =>
        Loop(step, what, timeout, pause: TimeSpan.Zero);

    private static void Loop(Func<bool> condition, string what, TimeSpan? timeout, TimeSpan pause)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!condition())
        {
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting for: {what}");
            }

            if (pause > TimeSpan.Zero)
            {
                Thread.Sleep(pause);
            }
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting for: {what}");
        }

        return await task;
    }
}
