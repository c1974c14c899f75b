using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

/// <summary>
/// An embedded cluster with an input, an output and a dead-letter topic, and a real <see cref="KafkaStream"/> over
/// them built with <see cref="OttoKafkaSupplier"/> and a <see cref="DeadLetterQueue"/>.
/// </summary>
internal sealed class DeadLetterRig : IDisposable
{
    public const string DeadLetterTopic = "dlq";

    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-streamiz-").FullName;
    private readonly List<IDisposable> _owned = [];
    private readonly Lazy<IProducer<byte[], byte[]>> _producer;

    public DeadLetterRig(ITestOutputHelper output, string input, string outputTopic, int inputPartitions = 1)
    {
        Input = input;
        Output = outputTopic;
        Log = new TestOutputLogger(output);
        Cluster.CreateTopic(input, inputPartitions);
        Cluster.CreateTopic(outputTopic, 1);
        Cluster.CreateTopic(DeadLetterTopic, 1);
        _producer = new(() => Own(EmbeddedStreams.Producer(Cluster)));
        Outputs = Own(new EmbeddedStreams.TopicReader(Cluster, outputTopic, 1));
        DeadLetters = Own(new EmbeddedStreams.TopicReader(Cluster, DeadLetterTopic, 1));
    }

    public EmbeddedKafkaCluster Cluster { get; } = EmbeddedKafkaCluster.Start();
    public TestOutputLogger Log { get; }
    public string Input { get; }
    public string Output { get; }
    public EmbeddedStreams.TopicReader Outputs { get; }
    public EmbeddedStreams.TopicReader DeadLetters { get; }
    public KafkaStream.State? State { get; private set; }

    public StreamConfig<StringSerDes, StringSerDes> Config(string applicationId = "app") =>
        EmbeddedStreams.Config(Cluster, applicationId, Log, _stateDir);

    /// <summary>Builds the stream: <paramref name="topology"/> gets the dead-letter queue to wire processors to.</summary>
    public KafkaStream Build(StreamConfig<StringSerDes, StringSerDes> config, ProductionErrorHandling production,
        Action<StreamBuilder, DeadLetterQueue> topology)
    {
        var supplier = new OttoKafkaSupplier(config, Cluster);
        var deadLetters = new DeadLetterQueue(supplier, DeadLetterTopic, production, Log);
        config.DeserializationExceptionHandler = deadLetters.HandleDeserializationError;
        config.ProductionExceptionHandler = deadLetters.HandleProductionError;
        var builder = new StreamBuilder();
        topology(builder, deadLetters);
        var stream = Own(new KafkaStream(builder.Build(), config, supplier));
        stream.StateChanged += (_, now) => State = now;
        return stream;
    }

    public void Produce(string value, string? key = null, Headers? headers = null) =>
        EmbeddedStreams.Produce(_producer.Value, Input, key, EmbeddedStreams.Utf8(value), headers);

    public void Flush() => _producer.Value.Flush();

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    public static string Header(ConsumeResult<byte[], byte[]> record, string key) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(key));

    public IReadOnlyList<string> OutputValues() => [.. Outputs.Records.Select(r => Text(r.Message.Value))];

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Streams first (they use the cluster), the cluster last.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        Cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }
}

/// <summary>Counts <c>otto.streams.dead.letters</c> by (stage, topic), for one source topic (tests run in parallel).</summary>
internal sealed class DeadLetterCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string Stage, string Topic), long> _counts = [];

    public DeadLetterCounter(string topic)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DeadLetterMetrics.MeterName && instrument.Name == DeadLetterMetrics.DeadLettersName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? stage = null, source = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "stage") stage = tag.Value as string;
                if (tag.Key == "topic") source = tag.Value as string;
            }

            if (source == topic && stage is not null)
            {
                lock (_counts)
                {
                    _counts[(stage, source)] = _counts.GetValueOrDefault((stage, source)) + value;
                }
            }
        });
        _listener.Start();
    }

    public long this[string stage, string topic]
    {
        get
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault((stage, topic));
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
