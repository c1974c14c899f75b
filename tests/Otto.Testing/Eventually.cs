using System.Diagnostics;

namespace Otto.Testing;

/// <summary>Waits for a fact until it holds or a deadline passes: the embedded cluster and the stream threads are
/// asynchronous, so tests wait for facts, never for fixed times. Every timeout says
/// "Timed out after {s}s waiting for {what}."</summary>
public static class Eventually
{
    /// <summary>The timeout for a wait that has no reason to pick its own.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long the polling waits sleep between two looks.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    /// <summary>Checks <paramref name="condition"/> every 20 ms, without holding a thread, until it holds.</summary>
    public static Task True(Func<bool> condition, TimeSpan timeout, string what) =>
        Get(() => condition() ? "" : null, timeout, what);

    /// <summary>Calls <paramref name="probe"/> every 20 ms, without holding a thread, until it returns a value.</summary>
    public static async Task<T> Get<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value) return value;
            if (clock.Elapsed > timeout) throw TimedOut(timeout, what);
            await Task.Delay(Pause);
        }
    }

    /// <summary>Waits for <paramref name="task"/> and returns its result (or rethrows its exception).</summary>
    public static async Task<T> Within<T>(Task<T> task, TimeSpan timeout, string what)
    {
        await Within((Task)task, timeout, what);
        return await task;
    }

    /// <summary>Waits for <paramref name="task"/> (and rethrows its exception).</summary>
    public static async Task Within(Task task, TimeSpan timeout, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(timeout)) != task) throw TimedOut(timeout, what);
        await task;
    }

    /// <summary>Checks <paramref name="condition"/> every 20 ms on the calling thread, for code that must stay on
    /// one thread (a consumer polled on its own thread).</summary>
    public static void Blocking(Func<bool> condition, TimeSpan timeout, string what) =>
        Loop(condition, timeout, what, Pause);

    /// <summary>Runs <paramref name="step"/> back to back on the calling thread until it returns true; for steps
    /// that wait themselves, like Consume(timeout).</summary>
    public static void Repeat(Func<bool> step, TimeSpan timeout, string what) =>
        Loop(step, timeout, what, TimeSpan.Zero);

    private static void Loop(Func<bool> condition, TimeSpan timeout, string what, TimeSpan pause)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw TimedOut(timeout, what);
            if (pause > TimeSpan.Zero) Thread.Sleep(pause);
        }
    }

    private static TimeoutException TimedOut(TimeSpan timeout, string what) =>
        new($"Timed out after {timeout.TotalSeconds}s waiting for {what}.");
}
