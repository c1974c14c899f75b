using System.Diagnostics;
using System.Text;

namespace Otto.Streams.Avro.Tests.Cli;

/// <summary>Runs the real `otto` program (the worker assembly, built with the same configuration as these tests)
/// as a child process, with stdin bytes and a working directory.</summary>
internal static class OttoProcess
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Output => Encoding.UTF8.GetString(Stdout);

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Stderr}";
    }

    private static readonly string WorkerDll = FindWorker();

    public static Result Run(string workingDirectory, byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(WorkerDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"otto {string.Join(' ', args)} did not finish within 60 s");
        }
        copy.Wait();
        return new Result(process.ExitCode, stdout.ToArray(), stderr.Result);
    }

    public static Result Run(string workingDirectory, string stdin, params string[] args) =>
        Run(workingDirectory, Encoding.UTF8.GetBytes(stdin), args);

    /// <summary>The repository's schemas/ directory.</summary>
    public static string RepoSchemas => Path.Combine(RepoRoot, "schemas");

    private static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Otto.Streams.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("Otto.Streams.sln not found above " + AppContext.BaseDirectory);
        }
    }

    // tests/Otto.Streams.Avro.Tests/bin/<Configuration>/<tfm>/ → src/Otto.Streams.Worker/bin/<Configuration>/<tfm>/
    private static string FindWorker()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = tfm.Parent!.Name;
        var dll = Path.Combine(RepoRoot, "src", "Otto.Streams.Worker", "bin", configuration, tfm.Name, "Otto.Streams.Worker.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the worker is not built", dll);
    }
}
