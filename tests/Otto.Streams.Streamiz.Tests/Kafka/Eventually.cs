using System.Diagnostics;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Checks <paramref name="condition"/> every 10 ms.</summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting for: {what}");
            }

            Thread.Sleep(10);
        }
    }
}
