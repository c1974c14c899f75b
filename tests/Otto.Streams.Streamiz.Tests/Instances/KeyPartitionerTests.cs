using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Instances;

namespace Otto.Streams.Streamiz.Tests.Instances;

/// <summary>KeyPartitioner places keys where librdkafka's real producer puts them (Confluent.Kafka 2.16 on
/// librdkafka 2.16), for the Java clients' murmur2 and librdkafka's default CRC32.</summary>
public class KeyPartitionerTests
{
    [Theory]
    [InlineData(Partitioner.Murmur2Random)]
    [InlineData(Partitioner.ConsistentRandom)]
    [InlineData(Partitioner.Consistent)]
    public void Computed_partitions_match_the_real_producer(Partitioner partitioner)
    {
        const int partitions = 7;
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("keys", partitions);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Partitioner = partitioner }).Build();
        // Lengths 1-12 cover every tail of the 4-byte murmur2 blocks; non-ASCII keys, bytes above 0x7f.
        var keys = Enumerable.Range(0, 200).Select(i => new string((char)('a' + i % 26), i % 12) + i)
            .Append("ø-ünïcode-€").Append("x").Select(k => System.Text.Encoding.UTF8.GetBytes(k)).ToList();
        var delivered = new List<DeliveryReport<byte[], byte[]>>();
        foreach (var key in keys)
            producer.Produce("keys", new Message<byte[], byte[]> { Key = key, Value = [1] }, report => { lock (delivered) delivered.Add(report); });
        producer.Flush(TimeSpan.FromSeconds(30));
        Assert.Equal(keys.Count, delivered.Count);
        foreach (var report in delivered)
        {
            Assert.False(report.Error.IsError, report.Error.Reason);
            Assert.Equal(report.Partition.Value, KeyPartitioner.PartitionFor(partitioner, report.Message.Key, partitions));
        }
        // Not all in one partition: the comparison means something.
        Assert.True(delivered.Select(r => r.Partition.Value).Distinct().Count() > 3);
    }

    [Fact]
    public void Partitioners_that_do_not_place_by_key_are_refused()
    {
        Assert.Throws<ArgumentException>(() => KeyPartitioner.PartitionFor(Partitioner.Random, [1, 2], 4));
        Assert.Throws<ArgumentException>(() => KeyPartitioner.PartitionFor(Partitioner.ConsistentRandom, [], 4));
    }
}
