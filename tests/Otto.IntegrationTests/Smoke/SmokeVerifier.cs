using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.IntegrationTests.Smoke;

/// <summary>
/// Produces the smoke input (keys k0..k{n-1}, each with seq 1..m, murmur2-partitioned as Streamiz's own producers
/// are) and checks the output: every key's latest result has the expected count and sum, every (key, seq) reached
/// the output (nothing lost), and duplicates — results emitted twice — are counted.
/// </summary>
internal sealed class SmokeVerifier(string bootstrap, int keys, int recordsPerKey) : IDisposable
{
    private readonly TopicReader<string, string> _output = new(bootstrap, SmokeTopology.Output, new StringSerDes(), new StringSerDes());
    private int _produced;

    public int Total => keys * recordsPerKey;

    /// <summary>Produces the next <paramref name="perKey"/> records of every key (interleaved across keys).</summary>
    public void ProduceNext(int perKey)
    {
        // Idempotent, so retries after injected Produce errors keep each key's records in order: the topology
        // takes a seq at or below the last applied one for a replay.
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Partitioner = Partitioner.Murmur2Random, LingerMs = 5, EnableIdempotence = true, Acks = Acks.All,
        }).SetLogHandler((_, _) => { }).Build();
        var from = _produced;
        for (var seq = from + 1; seq <= Math.Min(recordsPerKey, from + perKey); seq++, _produced++)
            for (var k = 0; k < keys; k++)
                producer.Produce(SmokeTopology.Input, new Message<string, string> { Key = $"k{k}", Value = seq.ToString() });
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    /// <summary>Results seen so far.</summary>
    public int OutputCount => _output.Records.Count;

    /// <summary>True when every key's latest result is its expected final one.</summary>
    public bool Complete()
    {
        var latest = Latest();
        return Enumerable.Range(0, keys).All(k => latest.TryGetValue($"k{k}", out var v) && SmokeTopology.Parse(v).LastSeq == recordsPerKey);
    }

    /// <summary>Keys whose latest result is not yet the final one, for a timeout's message.</summary>
    public string Unfinished()
    {
        var latest = Latest();
        return string.Join(" ", Enumerable.Range(0, keys).Select(k => $"k{k}").Where(k => !latest.TryGetValue(k, out var v) || SmokeTopology.Parse(v).LastSeq != recordsPerKey)
            .Select(k => $"{k}={latest.GetValueOrDefault(k)}"));
    }

    private Dictionary<string, string> Latest()
    {
        var latest = new Dictionary<string, string>();
        foreach (var r in _output.Records) latest[r.Key] = r.Value;
        return latest;
    }

    /// <summary>Asserts the per-key results and that nothing was lost; returns the duplicate results seen.</summary>
    public int Verify()
    {
        var records = _output.Records;
        var latest = Latest();
        for (var k = 0; k < keys; k++)
        {
            var expectedSum = Enumerable.Range(1, recordsPerKey).Sum(seq => SmokeTopology.Amount(k, seq));
            Assert.Equal((recordsPerKey, expectedSum, recordsPerKey), SmokeTopology.Parse(latest[$"k{k}"]));
        }
        var distinct = records.Select(r => (r.Key, SmokeTopology.Parse(r.Value).LastSeq)).Distinct().Count();
        Assert.Equal(Total, distinct); // every (key, seq) produced a result: nothing lost
        return records.Count - distinct;
    }

    public void Dispose() => _output.Dispose();
}
