using System.Diagnostics;

namespace Otto.IntegrationTests;

/// <summary>`otto run` with settings it cannot use stops before touching Kafka, exits 2 and names the setting.</summary>
public class WorkerConfigurationTests
{
    [Theory]
    [InlineData("Otto__Payments__StuckStatusSla", "00:00:05", "'StuckStatusSla'")] // retired in #6: now Rules:StuckStatus:Sla
    [InlineData("Otto__Payments__Rules__StuckStatu__Sla", "00:00:05", "Otto:Payments:Rules:StuckStatu: no such rule")]
    [InlineData("Otto__Payments__Rules__MissingSettlement__Sla", "-00:00:05", "Otto:Payments:Rules:MissingSettlement: SLAs must be positive")]
    public async Task A_setting_the_worker_cannot_use_stops_it_with_exit_code_2_naming_the_setting(string variable, string value, string message)
    {
        var start = OttoCommand.StartInfo("run", "--bootstrap", "127.0.0.1:1", "--schema-registry", "http://127.0.0.1:1");
        start.Environment[variable] = value;
        start.Environment["Otto__Metrics__Enabled"] = "false";
        start.Environment["Otto__Query__Enabled"] = "false";
        using var worker = Process.Start(start)!;
        var output = worker.StandardOutput.ReadToEndAsync();
        var error = worker.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, worker.ExitCode);
        Assert.Contains(message, await output + await error);
    }
}
