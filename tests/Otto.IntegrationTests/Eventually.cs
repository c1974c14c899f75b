namespace Otto.IntegrationTests;

/// <summary>Polls a condition until it holds or a deadline passes: the embedded cluster is asynchronous, so
/// tests wait for facts, never for fixed times.</summary>
internal static class Eventually
{
    public static async Task<T> Get<T>(Func<T?> probe, TimeSpan timeout, string what) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout.TotalSeconds}s waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public static Task True(Func<bool> condition, TimeSpan timeout, string what) =>
        Get(() => condition() ? "" : null, timeout, what);
}
