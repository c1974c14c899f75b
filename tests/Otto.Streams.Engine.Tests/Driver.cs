using Otto.Streams.SerDes;
using Otto.Streams.TestDriver;

namespace Otto.Streams.Engine.Tests;

/// <summary>Shared set-up: string keys and values, a test config, a driver over what the test built.</summary>
internal static class Driver
{
    public static readonly StringSerDes Strings = new();
    public static readonly Int64SerDes Longs = new();

    public static StreamConfig Config(ErrorHandling errors = ErrorHandling.Fail) => new()
    {
        ApplicationId = "engine-test",
        DefaultKeySerDes = Strings,
        DefaultValueSerDes = Strings,
        DeserializationErrors = errors,
        ProcessingErrors = errors,
        DeadLetterTopic = errors == ErrorHandling.DeadLetter ? "dlq" : null,
    };

    public static TopologyTestDriver For(StreamBuilder builder, ErrorHandling errors = ErrorHandling.Fail) => new(builder.Build(), Config(errors));

    public static TestInputTopic<string, string> Input(this TopologyTestDriver driver, string topic) => driver.CreateInputTopic(topic, Strings, Strings);

    public static TestOutputTopic<string, string> Output(this TopologyTestDriver driver, string topic) => driver.CreateOutputTopic(topic, Strings, Strings);

    public static TestOutputTopic<string, long> LongOutput(this TopologyTestDriver driver, string topic) => driver.CreateOutputTopic(topic, Strings, Longs);

    public static List<(K Key, V Value)> ReadAll<K, V>(this TestOutputTopic<K, V> topic) =>
        topic.ReadRecordsToList().Select(r => (r.Key, r.Value)).ToList();

    public static List<(string Key, string Value)> ReadAll(this TestOutputTopic<string, string> topic) =>
        topic.ReadRecordsToList().Select(r => (r.Key, r.Value)).ToList();
}
