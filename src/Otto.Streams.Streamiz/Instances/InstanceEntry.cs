using System.Text.Json;
using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Instances;

/// <summary>Another instance of the application as it last published itself to the instances topic.</summary>
/// <param name="Url">Where it answers (its advertised URL).</param>
/// <param name="Partitions">The partitions its stream threads held when it published.</param>
/// <param name="PublishedAt">The timestamp of its record (its writer's clock).</param>
/// <param name="ExpiresAfter">How long the entry stands without being refreshed (a crashed instance publishes no
/// tombstone).</param>
public sealed record InstanceEntry(Uri Url, IReadOnlyList<TopicPartition> Partitions, DateTimeOffset PublishedAt, TimeSpan ExpiresAfter)
{
    /// <summary>True until <see cref="ExpiresAfter"/> has passed since <see cref="PublishedAt"/>.</summary>
    public bool IsLive(DateTimeOffset now) => now - PublishedAt <= ExpiresAfter;

    /// <summary>True when it held <paramref name="partition"/>.</summary>
    public bool Holds(TopicPartition partition) => Partitions.Contains(partition);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The record's value, JSON (its key is the URL):
    // {"url":"http://host:port/","expiresAfterMs":30000,"partitions":[{"topic":"t","partition":0}]}.
    internal static byte[] Encode(Uri url, IEnumerable<TopicPartition> partitions, TimeSpan expiresAfter) =>
        JsonSerializer.SerializeToUtf8Bytes(new Published(url.ToString(), (long)expiresAfter.TotalMilliseconds,
            partitions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value)
                .Select(p => new PublishedPartition(p.Topic, p.Partition.Value)).ToList()), Json);

    /// <exception cref="FormatException">The value is not an entry.</exception>
    internal static InstanceEntry Decode(byte[] value, DateTimeOffset publishedAt)
    {
        Published? published;
        try
        {
            published = JsonSerializer.Deserialize<Published>(value, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an instance entry: {e.Message}", e);
        }
        if (published is not { Url: { } url, Partitions: { } partitions } || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || published.ExpiresAfterMs <= 0)
            throw new FormatException("not an instance entry: url, expiresAfterMs and partitions are required");
        return new InstanceEntry(uri, partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList(), publishedAt,
            TimeSpan.FromMilliseconds(published.ExpiresAfterMs));
    }

    private sealed record Published(string? Url, long ExpiresAfterMs, List<PublishedPartition>? Partitions);

    private sealed record PublishedPartition(string Topic, int Partition);
}
