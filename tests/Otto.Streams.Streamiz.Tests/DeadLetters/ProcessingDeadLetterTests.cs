using System.Collections.Concurrent;
using Confluent.Kafka;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.Stream;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

public sealed class ProcessingDeadLetterTests(ITestOutputHelper output)
{
    /// <summary>What the transformers of a stream saw: how many times a task was (re)initialized, and each value.</summary>
    private sealed class Probe
    {
        public int Inits;
        public readonly ConcurrentDictionary<string, int> Processed = new();
    }

    /// <summary>Upper-cases values; throws on "poison" (the record's fault) and on "systemic" (not its fault).</summary>
    private sealed class ShoutingTransformer(Probe probe) : ITransformer<string, string, string, string>
    {
        public void Init(ProcessorContext<string, string> context) => Interlocked.Increment(ref probe.Inits);

        public Record<string, string> Process(Record<string, string> record)
        {
            probe.Processed.AddOrUpdate(record.Value, 1, (_, n) => n + 1);
            return record.Value switch
            {
                "poison" => throw new InvalidOperationException("cannot shout poison", new ArgumentException("poison is not a word")),
                "systemic" => throw new RegistryDownException("Schema registry unreachable while processing"),
                _ => Record<string, string>.Create(record.Key, record.Value.ToUpperInvariant()),
            };
        }

        public void Close()
        {
        }
    }

    [Fact]
    public void A_record_a_transformer_throws_on_is_dead_lettered_and_no_task_restarts()
    {
        using var rig = new DeadLetterRig(output, "words", "shouts");
        using var counter = new DeadLetterCounter("words");
        var probe = new Probe();
        rig.Produce("hello", key: "k1");
        rig.Produce("poison", key: "k-bad", headers: new Headers { { "trace", "xyz"u8.ToArray() } });
        rig.Produce("world", key: "k2");
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Fail, (builder, deadLetters) =>
            builder.Stream<string, string>(rig.Input)
                .Transform(deadLetters.Transformer(() => new ShoutingTransformer(probe)))
                .To(rig.Output));

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => rig.OutputValues().Count == 2, Eventually.DefaultTimeout, "the two good words in the output");
        rig.Produce("again", key: "k3");
        rig.Flush();
        Eventually.Blocking(() => rig.OutputValues().Count == 3, Eventually.DefaultTimeout, "a word produced after the poison in the output");

        Assert.Equal(["HELLO", "WORLD", "AGAIN"], rig.OutputValues());
        Assert.Equal(1, probe.Inits);
        Assert.All(probe.Processed, p => Assert.Equal(1, p.Value));
        var dead = Assert.Single(rig.DeadLetters.Records);
        Assert.Equal("k-bad", DeadLetterRig.Text(dead.Message.Key));
        Assert.Equal("poison", DeadLetterRig.Text(dead.Message.Value));
        Assert.Equal("xyz", DeadLetterRig.Header(dead, "trace"));
        Assert.Equal("words", DeadLetterRig.Header(dead, DeadLetterHeaders.Topic));
        Assert.Equal("0", DeadLetterRig.Header(dead, DeadLetterHeaders.Partition));
        Assert.Equal("1", DeadLetterRig.Header(dead, DeadLetterHeaders.Offset));
        Assert.Equal("processing", DeadLetterRig.Header(dead, DeadLetterHeaders.Stage));
        Assert.Equal("0-0", DeadLetterRig.Header(dead, DeadLetterHeaders.Task));
        Assert.Equal(typeof(InvalidOperationException).FullName, DeadLetterRig.Header(dead, DeadLetterHeaders.ExceptionClass));
        Assert.Equal("cannot shout poison ---> poison is not a word", DeadLetterRig.Header(dead, DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(1, counter["processing", "words"]);
    }

    [Fact]
    public void A_record_a_processor_throws_on_is_dead_lettered_from_a_repartition_topic_with_that_topics_bytes()
    {
        using var rig = new DeadLetterRig(output, "letters", "unused", inputPartitions: 2);
        var seen = new ConcurrentQueue<string>();
        foreach (var value in new[] { "a", "b", "poison", "c" })
        {
            rig.Produce(value, key: value);
        }

        rig.Flush();
        var stream = rig.Build(rig.Config("rekeying"), ProductionErrorHandling.Fail, (builder, deadLetters) =>
            builder.Stream<string, string>(rig.Input)
                .SelectKey((_, v, _) => "one-key")
                .Repartition(Repartitioned<string, string>.As("single").WithNumberOfPartitions(1))
                .Process(deadLetters.Processor(() => new CollectingProcessor(seen))));

        EmbeddedStreams.StartAndWaitRunning(stream);
        Eventually.Blocking(() => seen.Count == 3 && rig.DeadLetters.Records.Count > 0, Eventually.DefaultTimeout, "three letters processed and one dead letter");

        Assert.Equal(["a", "b", "c"], seen.Order());
        var dead = Assert.Single(rig.DeadLetters.Records);
        Assert.Equal("one-key", DeadLetterRig.Text(dead.Message.Key));
        Assert.Equal("poison", DeadLetterRig.Text(dead.Message.Value));
        Assert.Equal("rekeying-single-repartition", DeadLetterRig.Header(dead, DeadLetterHeaders.Topic));
        Assert.Equal("1-0", DeadLetterRig.Header(dead, DeadLetterHeaders.Task));
    }

    private sealed class CollectingProcessor(ConcurrentQueue<string> seen) : IProcessor<string, string>
    {
        public void Init(ProcessorContext<string, string> context)
        {
        }

        public void Process(Record<string, string> record)
        {
            if (record.Value == "poison")
            {
                throw new FormatException("poison is not a letter");
            }

            seen.Enqueue(record.Value);
        }

        public void Close()
        {
        }
    }

    [Fact]
    public async Task A_systemic_failure_in_a_transformer_stops_the_stream_and_writes_no_dead_letter()
    {
        using var rig = new DeadLetterRig(output, "calls", "answers");
        using var counter = new DeadLetterCounter("calls");
        var probe = new Probe();
        rig.Produce("hello");
        rig.Produce("systemic");
        rig.Produce("world");
        rig.Flush();
        var stream = rig.Build(rig.Config(), ProductionErrorHandling.Fail, (builder, deadLetters) =>
            builder.Stream<string, string>(rig.Input)
                .Transform(deadLetters.Transformer(() => new ShoutingTransformer(probe)))
                .To(rig.Output));

        await stream.StartAsync();
        Eventually.Blocking(() => rig.State == KafkaStream.State.ERROR, Eventually.DefaultTimeout, "the stream to be in ERROR");

        Assert.Empty(rig.DeadLetters.Records);
        Assert.Equal(0, counter["processing", "calls"]);
        Assert.False(probe.Processed.ContainsKey("world"));
    }
}
