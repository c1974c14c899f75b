using System.Diagnostics;

namespace Otto.Simulator.Tests;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep a fixed time.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#}s waiting for: {what}");
        return await task;
    }

    public static async Task Within(Task task, string what, TimeSpan? timeout = null) =>
        await Within(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default), what, timeout);
}
