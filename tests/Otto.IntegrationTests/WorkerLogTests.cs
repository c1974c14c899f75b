using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests;

/// <summary>
/// Otto's logs as an operator configures them with .NET's Logging section: one line per entry with a UTC timestamp,
/// JSON by <c>Logging__Console__FormatterName=json</c>, levels per category, and librdkafka's own lines through the
/// same logger. Regressions: lines without a timestamp, the message on a second line; librdkafka's lines dropped at
/// Debug by Streamiz's client log handler; Streamiz's Information lines (263 of 271 at a start on 4 partitions) drowning Otto's.
/// </summary>
public partial class WorkerLogTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Kafka on a closed port: librdkafka's first client (the worker's start-up check, the simulator's producers) logs
    // "Connect to ipv4#127.0.0.1:1 failed" at once. Both verbs take the same configuration.
    [Theory]
    [InlineData("run")]
    [InlineData("simulate")]
    public async Task With_the_json_formatter_every_line_is_json_with_a_utc_timestamp_and_librdkafka_logs_through_it(string verb)
    {
        var start = OttoCommand.StartInfo(verb, "--bootstrap", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1");
        start.Environment["Logging__Console__FormatterName"] = "json";
        start.Environment["Otto__Metrics__Enabled"] = "false";
        start.Environment["Otto__Query__Enabled"] = "false";
        using var otto = new WorkerProcess(start, output.WriteLine);

        var line = await Eventually.Get(() => otto.OutputLines.FirstOrDefault(l => Json(l)?.GetProperty("Category").GetString() == "librdkafka"),
            Wait, "a librdkafka line in the log");
        otto.Kill(); // whole lines only from here: a line cut by the kill is not counted

        var librdkafka = Json(line)!.Value;

        Assert.Equal("Error", librdkafka.GetProperty("LogLevel").GetString());
        Assert.Contains("Connect to ipv4#127.0.0.1:1 failed", librdkafka.GetProperty("Message").GetString());
        Assert.Equal("FAIL", librdkafka.GetProperty("State").GetProperty("Facility").GetString());
        Assert.Contains("#", librdkafka.GetProperty("State").GetProperty("Client").GetString()); // librdkafka's name: client.id#producer-1
        Assert.All(otto.OutputLines, line =>
        {
            var entry = Json(line) ?? throw new Xunit.Sdk.XunitException($"not a JSON line: {line}");
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("Category").GetString()));
            var timestamp = entry.GetProperty("Timestamp").GetString()!;
            Assert.Matches(IsoUtc(), timestamp);
            Assert.InRange(DateTimeOffset.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        });
        // Nothing printed raw by librdkafka (its own format: %3|1764785632.123|FAIL|client#producer-1| ...).
        Assert.All(otto.ErrorLines, line => Assert.StartsWith("otto: librdkafka 2.16.0 (", line));
    }

    [Fact]
    public async Task Levels_are_per_category_from_appsettings_and_the_environment_one_line_per_entry()
    {
        const string env = "logs", app = "otto-logs";
        await using var cluster = await DevCluster.StartAsync(env, partitions: 1, applicationId: app);
        var start = OttoCommand.StartInfo("run", "--bootstrap", cluster.BootstrapServers, "--schema-registry", cluster.RegistryUrl.ToString(), "--env", env,
            "--state-dir", Directory.CreateTempSubdirectory("otto-logs-").FullName);
        foreach (var (key, value) in DevCluster.ClientProperties) start.Environment[$"Otto__Kafka__Properties__{key}"] = value;
        start.Environment["Otto__Streams__ApplicationId"] = app;
        start.Environment["Otto__SchemaRegistry__AutoRegisterSchemas"] = "true";
        start.Environment["Otto__Metrics__Enabled"] = "false";
        start.Environment["Otto__Query__Enabled"] = "false";
        // appsettings.json keeps Streamiz at Warning but for KafkaStream; the environment lets one more category through.
        start.Environment["Logging__LogLevel__Streamiz.Kafka.Net.Processors.StreamThread"] = "Information";
        using var otto = new WorkerProcess(start, output.WriteLine);

        // The thread's line after its tasks restored their stores (and logged that at Information, unless filtered).
        await Eventually.True(() => otto.OutputLines.Any(l => l.Contains(" info: Streamiz.Kafka.Net.Processors.StreamThread[0] Restoration took ", StringComparison.Ordinal)),
            Wait, "the stream thread's restoration line");
        otto.Kill();

        Assert.All(otto.OutputLines, line => Assert.Matches(SimpleLine(), line));
        var entries = otto.OutputLines.Select(line => SimpleLine().Match(line)).ToList();
        Assert.All(entries, m => Assert.Matches(IsoUtc(), m.Groups["time"].Value));
        var streamizInfo = entries.Where(m => m.Groups["level"].Value == "info" && m.Groups["category"].Value.StartsWith("Streamiz.", StringComparison.Ordinal))
            .Select(m => m.Groups["category"].Value).ToHashSet();
        Assert.Equal(["Streamiz.Kafka.Net.KafkaStream", "Streamiz.Kafka.Net.Processors.StreamThread"], streamizInfo.Order());
        Assert.Contains(otto.OutputLines, l => l.Contains(" info: Otto.Streams.Worker.Hosting.WorkerService[0] Otto worker otto-logs on ", StringComparison.Ordinal));
        Assert.All(otto.ErrorLines, line => Assert.StartsWith("otto: librdkafka 2.16.0 (", line));
    }

    private static JsonElement? Json(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex IsoUtc();

    // The simple formatter's single line: "{timestamp} {level}: {category}[{event id}] {message}".
    [GeneratedRegex(@"^(?<time>\S+) (?<level>trce|dbug|info|warn|fail|crit): (?<category>[^\s\[]+)\[\d+\] ")]
    private static partial Regex SimpleLine();
}
