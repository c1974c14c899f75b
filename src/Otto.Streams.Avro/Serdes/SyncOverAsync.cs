namespace Otto.Streams.Avro.Serdes;

/// <summary>
/// Serdes run synchronously on the stream thread but the registry client is async. Only cache misses get here;
/// running the call on the thread pool means no SynchronizationContext of the caller can deadlock it.
/// </summary>
internal static class SyncOverAsync
{
    public static T Run<T>(Func<Task<T>> call) => Task.Run(call).GetAwaiter().GetResult();
}
