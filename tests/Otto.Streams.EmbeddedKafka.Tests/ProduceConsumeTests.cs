using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka.Tests;

public sealed class ProduceConsumeTests
{
    private const int Partitions = 8;

    [Fact]
    public async Task Records_produced_with_murmur2_come_back_in_a_consumer_group_in_partition_order()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("orders", Partitions);

        var produced = await ProduceAsync(cluster, "orders", count: 2000, keys: 97);

        // Every key landed where a Java client would have put it.
        foreach (var d in produced)
        {
            Assert.Equal(JavaPartitioner.PartitionFor(d.Message.Key, Partitions), d.Partition.Value);
        }

        Assert.Equal(Partitions, produced.Select(d => d.Partition.Value).Distinct().Count());

        using var consumer = Clients.Consumer(cluster, "orders-reader");
        consumer.Subscribe("orders");
        var consumed = new List<ConsumeResult<string, string>>();
        Eventually.Repeat(() =>
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is not null)
            {
                consumed.Add(result);
            }

            return consumed.Count >= produced.Count;
        }, Eventually.DefaultTimeout, $"consuming {produced.Count} records");

        Assert.Equal(produced.Count, consumed.Count);
        for (var p = 0; p < Partitions; p++)
        {
            var expected = produced.Where(d => d.Partition.Value == p).OrderBy(d => d.Offset.Value)
                .Select(d => (d.Offset.Value, d.Message.Key, d.Message.Value)).ToList();
            var actual = consumed.Where(c => c.Partition.Value == p)
                .Select(c => (c.Offset.Value, c.Message.Key, c.Message.Value)).ToList();
            Assert.Equal(expected, actual);
        }

        consumer.Close();
    }

    [Fact]
    public async Task Two_consumers_in_one_group_share_the_partitions_with_the_range_assignor()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("shared", Partitions);
        var produced = await ProduceAsync(cluster, "shared", count: 400, keys: 50);

        using var first = Clients.Consumer(cluster, "sharing-group");
        using var second = Clients.Consumer(cluster, "sharing-group");
        first.Subscribe("shared");
        second.Subscribe("shared");

        var seen = new HashSet<(int Partition, long Offset)>();
        Eventually.Repeat(() =>
        {
            foreach (var consumer in new[] { first, second })
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (result is not null)
                {
                    seen.Add((result.Partition.Value, result.Offset.Value));
                }
            }

            return first.Assignment.Count + second.Assignment.Count == Partitions
                && first.Assignment.Count > 0 && second.Assignment.Count > 0
                && seen.Count == produced.Count;
        }, Eventually.DefaultTimeout, "both consumers assigned and every record consumed");

        // Range: each member gets a contiguous half of the 8 partitions.
        var halves = new[] { first.Assignment, second.Assignment }
            .Select(a => a.Select(tp => tp.Partition.Value).Order().ToArray())
            .OrderBy(a => a[0]).ToArray();
        Assert.Equal(new[] { 0, 1, 2, 3 }, halves[0]);
        Assert.Equal(new[] { 4, 5, 6, 7 }, halves[1]);

        first.Close();
        second.Close();
    }

    internal static async Task<List<DeliveryResult<string, string>>> ProduceAsync(
        EmbeddedKafkaCluster cluster, string topic, int count, int keys)
    {
        using var producer = Clients.Producer(cluster);
        var pending = Enumerable.Range(0, count)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"key-{i % keys}", Value = $"value-{i}" }))
            .ToList();
        var results = await Eventually.Within(Task.WhenAll(pending), Eventually.DefaultTimeout, $"{count} deliveries");
        Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        return results.ToList();
    }
}
