using Otto.Streams.Worker.Cli;

namespace Otto.IntegrationTests;

/// <summary>`otto simulate` against a registry it cannot reach says so in one line and exits non-zero. Regression: it
/// ended in an unhandled exception's stack trace.</summary>
public class SimulateCommandTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task An_unreachable_registry_ends_the_run_with_one_line()
    {
        using var simulate = new WorkerProcess(OttoCommand.StartInfo("simulate", "--bootstrap", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1",
            "--payments", "5", "--settle-timeout", "5"), output.WriteLine);
        var exitCode = await simulate.ExitCodeAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(ExitCodes.RegistryUnreachable, exitCode);
        Assert.Contains(simulate.Lines, l => l.StartsWith("otto simulate: schema registry unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", simulate.Log);
    }
}
