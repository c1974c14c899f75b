using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.IntegrationTests;

/// <summary>Reads a topic from the beginning on a background thread, keeping every record it saw.</summary>
internal sealed class TopicReader<K, V> : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Thread _thread;
    private readonly List<(K Key, V Value)> _records = [];
    private volatile bool _stop;

    public TopicReader(string bootstrap, string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    {
        _consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
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
                var key = keySerDes.Deserialize(r.Message.Key, new SerializationContext(MessageComponentType.Key, topic));
                var value = valueSerDes.Deserialize(r.Message.Value, new SerializationContext(MessageComponentType.Value, topic));
                lock (_records) _records.Add((key, value));
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public IReadOnlyList<(K Key, V Value)> Records
    {
        get { lock (_records) return _records.ToList(); }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
    }
}
