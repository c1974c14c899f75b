using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Otto.Streams.Worker.Cli;

namespace Otto.IntegrationTests.Query;

/// <summary>
/// `otto run` that cannot listen where it is told stops before it touches Kafka, with one line naming the setting to
/// change, no stack trace, and an exit code of that failure's own. Regressions: a second `otto run` on the same host
/// died with an HttpListenerException stack trace; README's container setting (Otto__Metrics__Host=0.0.0.0) killed the
/// worker at start.
/// </summary>
public class StartupErrorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Busy = "{busy}"; // replaced by a port this test holds open
    private const string Absent = "{absent}"; // replaced by an address this machine does not have

    [Theory]
    [InlineData(ExitCodes.PortInUse, "Otto:Metrics:Port", new[] { "Otto__Metrics__Port", Busy })]
    [InlineData(ExitCodes.PortInUse, "Otto:Query:Port", new[] { "Otto__Metrics__Port", "0", "Otto__Query__Port", Busy })]
    [InlineData(ExitCodes.ReadSideUnprotected, "Otto:Query:ApiKey", new[] { "Otto__Metrics__Host", "0.0.0.0" })]
    [InlineData(ExitCodes.ReadSideUnprotected, "Otto:Query:ApiKey", new[] { "Otto__Metrics__Port", "0", "Otto__Query__Host", "0.0.0.0", "Otto__Query__Port", "0" })]
    [InlineData(ExitCodes.Configuration, "Otto:Metrics:Host", new[] { "Otto__Metrics__Host", "metrics.example" })]
    [InlineData(ExitCodes.Configuration, "Otto:Query:AdvertisedUrl", new[] { "Otto__Query__AdvertisedUrl", "otto-2:8080" })]
    [InlineData(ExitCodes.CannotListen, "Otto:Metrics:Host", new[] { "Otto__Metrics__Host", Absent, "Otto__Query__Enabled", "false" })]
    public async Task A_place_it_cannot_listen_stops_the_worker_with_one_line_and_its_own_exit_code(int exitCode, string setting, string[] environment)
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var busyPort = ((IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Kafka and the registry are unreachable: the worker must stop before it tries them.
        var start = OttoCommand.StartInfo("run", "--bootstrap", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1");
        for (var i = 0; i < environment.Length; i += 2)
            start.Environment[environment[i]] = environment[i + 1] switch { Busy => busyPort, Absent => AbsentAddress(), var value => value };
        using var worker = Process.Start(start)!;
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = worker.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await worker.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
        var (outText, errText) = (await stdout, await stderr);
        output.WriteLine($"exit {worker.ExitCode}\nstdout:\n{outText}\nstderr:\n{errText}");

        Assert.Equal(exitCode, worker.ExitCode);
        // Program's own first line says which librdkafka it loaded; then the one line.
        var line = Assert.Single(errText.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("otto: librdkafka", StringComparison.Ordinal));
        Assert.StartsWith("otto run: ", line);
        Assert.Contains(setting, line);
        if (environment.Contains(Busy)) Assert.Contains($":{busyPort} ", line);
        Assert.DoesNotContain("Exception", outText + errText);
        Assert.DoesNotContain("   at ", outText + errText);
        Assert.DoesNotContain("Otto worker", outText); // stopped before the worker began
    }

    // Documentation addresses (RFC 5737), the first this machine has not got (some sandboxes number their own network so).
    private static string AbsentAddress()
    {
        var local = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToHashSet();
        return new[] { "203.0.113.77", "198.51.100.77", "192.0.2.77" }.First(a => !local.Contains(IPAddress.Parse(a)));
    }
}
