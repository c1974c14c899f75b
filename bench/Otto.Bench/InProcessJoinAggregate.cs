using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.Stream;
using Otto.Streams.TestDriver;
using static Otto.Bench.InProcessHarness;

namespace Otto.Bench;

/// <summary>Orders joined with a customers table, then counted per customer, on in-memory stores without
/// changelogs, through the TopologyTestDriver; against the same work on two dictionaries in a plain loop.</summary>
public sealed class InProcessJoinAggregate : IBenchmark
{
    private const int Customers = 1_000;

    public string Name => "inprocess-join-aggregate";

    public string Description => "stream-table join + count on in-memory stores through the TopologyTestDriver vs a plain loop [records, default 500000]";

    public Task RunAsync(string[] args, TextWriter output)
    {
        var count = RecordsArg(args, 500_000);
        var orders = Records(count, Customers, i => $"order-{i}");
        var customers = Records(Customers, Customers, i => $"customer-{i}");

        long counted = 0;
        var topology = Measure(count, () =>
        {
            var builder = new StreamBuilder();
            var table = builder.Table("customers", Materialized<string, string>.As(Stores.InMemoryKeyValueStore("customers")).WithLoggingDisabled());
            builder.Stream<string, string>("orders").Join(table, (order, customer) => customer.Length + order.Length)
                .GroupByKey().Count(Materialized<string, long>.As(Stores.InMemoryKeyValueStore("order-counts")).WithLoggingDisabled());
            var driver = new TopologyTestDriver(builder.Build(), Config("bench-join-aggregate"));
            Pipe(driver.CreateInputTopic("customers", Strings, Strings), customers, 0, Customers);
            var input = driver.CreateInputTopic("orders", Strings, Strings);
            var counts = driver.GetKeyValueStore<string, long>("order-counts");
            return ((from, to) => { Pipe(input, orders, from, to); counted = counts.Get("k0"); }, driver);
        });
        output.WriteLine($"inprocess-join-aggregate: customer k0 counted {counted:N0} orders (expected {count / Customers:N0})");

        var keyContext = new SerializationContext(MessageComponentType.Key, "orders");
        var valueContext = new SerializationContext(MessageComponentType.Value, "orders");
        var names = customers.ToDictionary(c => Strings.Deserialize(c.Key, keyContext), c => Strings.Deserialize(c.Value, valueContext));
        var baseline = Measure(count, () => (Loop(new Dictionary<string, long>()), null));
        Action<int, int> Loop(Dictionary<string, long> counts) => (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                var key = Strings.Deserialize(orders[i].Key, keyContext);
                var order = Strings.Deserialize(orders[i].Value, valueContext);
                if (!names.TryGetValue(key, out var customer)) continue;
                _ = customer.Length + order.Length;
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        };

        Report(output, "inprocess-join-aggregate", count, topology, baseline, 300_000);
        return Task.CompletedTask;
    }
}
