using System.Collections.Concurrent;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Smoke;

/// <summary>Sums, per store, the records Streamiz restored from changelogs (and global tables from their topics), from
/// the streams' own restore events (<see cref="KafkaStream.OnRestoreEndEvent"/>): to show that state moved with its
/// tasks, or that a clean restart restored nothing.</summary>
internal sealed class RestoreCounter
{
    private readonly ConcurrentDictionary<string, long> _byStore = new();

    /// <summary>Records restored, all stores together.</summary>
    public long Restored => _byStore.Values.Sum();

    /// <summary>Records restored into stores other than <paramref name="stores"/>.</summary>
    public long RestoredExcept(params string[] stores) => _byStore.Where(s => !stores.Contains(s.Key)).Sum(s => s.Value);

    public override string ToString() => string.Join(", ", _byStore.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}"));

    public void Watch(KafkaStream stream) =>
        stream.OnRestoreEndEvent += (_, store, total) => _byStore.AddOrUpdate(store, total, (_, sum) => sum + total);
}
