using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.TestDriver;
using static Otto.Bench.InProcessHarness;

namespace Otto.Bench;

/// <summary>A stateless filter → mapValues → filter → mapValues → to chain through the TopologyTestDriver,
/// against the same work (deserialize, the same lambdas, serialize) as a plain loop.</summary>
public sealed class InProcessStateless : IBenchmark
{
    public string Name => "inprocess-stateless";

    public string Description => "stateless map/filter chain through the TopologyTestDriver vs a plain loop [records, default 1000000]";

    private static bool KeepFirst(string v) => v[^1] != '7';
    private static string Tag(string v) => v + "!";
    private static bool KeepSecond(string v) => v.Length < 64;
    private static string Trim(string v) => v[1..];

    public Task RunAsync(string[] args, TextWriter output)
    {
        var count = RecordsArg(args, 1_000_000);
        var records = Records(count, 10_000, i => $"v{i}");

        var topology = Measure(count, () =>
        {
            var builder = new StreamBuilder();
            builder.Stream<string, string>("in").Filter((_, v) => KeepFirst(v)).MapValues(Tag).Filter((_, v) => KeepSecond(v)).MapValues(Trim).To("out");
            var driver = new TopologyTestDriver(builder.Build(), Config("bench-stateless"));
            var input = driver.CreateInputTopic("in", Strings, Strings);
            return ((from, to) => Pipe(input, records, from, to), driver);
        });

        var keyContext = new SerializationContext(MessageComponentType.Key, "in");
        var valueContext = new SerializationContext(MessageComponentType.Value, "in");
        var baseline = Measure(count, () => (Loop(new List<(byte[], byte[])>()), null));
        Action<int, int> Loop(List<(byte[], byte[])> sink) => (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                var key = Strings.Deserialize(records[i].Key, keyContext);
                var value = Strings.Deserialize(records[i].Value, valueContext);
                if (!KeepFirst(value)) continue;
                var tagged = Tag(value);
                if (!KeepSecond(tagged)) continue;
                sink.Add((Strings.Serialize(key, keyContext), Strings.Serialize(Trim(tagged), valueContext)));
            }
        };

        Report(output, "inprocess-stateless", count, topology, baseline, 1_000_000);
        return Task.CompletedTask;
    }
}
