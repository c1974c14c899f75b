using System.Diagnostics;

namespace Otto.Testing;

/// <summary>The `otto` program as a user runs it (`./otto VERB ...` runs this same dll), for tests and benchmarks that
/// need a separate process: exit codes, what it prints, SIGTERM and SIGKILL. The worker's dll is found in the running
/// program's directory: a project that references Otto.Streams.Worker gets it in its output.</summary>
public static class OttoCommand
{
    /// <summary>`otto <paramref name="args"/>` with its output redirected; set environment variables on the result.</summary>
    public static ProcessStartInfo StartInfo(params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Otto.Streams.Worker.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }
}
