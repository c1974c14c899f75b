using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.IntegrationTests;

/// <summary>One record a <see cref="TopicReader{K, V}"/> read: decoded key and value, with where it was and its headers.</summary>
internal sealed record Received<K, V>(K Key, V Value, Headers Headers, int Partition, long Offset);

/// <summary>Reads a topic from the beginning on a background thread (a group of its own, never committing), keeping
/// every record it saw, decoded with Streamiz serdes.</summary>
internal sealed class TopicReader<K, V> : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly List<Received<K, V>> _records = [];
    private volatile bool _stop;

    public TopicReader(string bootstrap, string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 100,
        }).SetLogHandler((_, _) => { }).Build();
        _consumer.Subscribe(topic);
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                ConsumeResult<byte[], byte[]>? r;
                try { r = _consumer.Consume(TimeSpan.FromMilliseconds(100)); }
                // A broker taken down by a fault-injection test fails fetches for a while; an exception here
                // would crash the whole test host, so the reader retries until the broker is back.
                catch (ConsumeException e) when (!e.Error.IsFatal) { continue; }
                if (r is null || r.IsPartitionEOF) continue;
                var key = keySerDes.Deserialize(r.Message.Key, new SerializationContext(MessageComponentType.Key, topic, r.Message.Headers));
                var value = valueSerDes.Deserialize(r.Message.Value, new SerializationContext(MessageComponentType.Value, topic, r.Message.Headers));
                lock (_records) _records.Add(new(key, value, r.Message.Headers ?? [], r.Partition.Value, r.Offset.Value));
            }
        }) { IsBackground = true, Name = $"reader {topic}" };
        _thread.Start();
    }

    public IReadOnlyList<Received<K, V>> Records
    {
        get { lock (_records) return [.. _records]; }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
    }
}
