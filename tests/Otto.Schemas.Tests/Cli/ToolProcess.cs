using System.Diagnostics;
using System.Text;

namespace Otto.Schemas.Tests.Cli;

/// <summary>Runs the real schema tool (src/Otto.Schemas.Cli, built with the same configuration as these tests) as
/// a child process, with stdin bytes, a working directory and extra environment variables.</summary>
internal static class ToolProcess
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Output => Encoding.UTF8.GetString(Stdout);

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Stderr}";
    }

    private static readonly string ToolDll = FindTool();

    public static Result Run(string workingDirectory, byte[]? stdin, params string[] args) => Run(workingDirectory, stdin, null, args);

    public static Result Run(string workingDirectory, string stdin, params string[] args) =>
        Run(workingDirectory, Encoding.UTF8.GetBytes(stdin), null, args);

    public static Result Run(string workingDirectory, byte[]? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ToolDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Otto__SchemaRegistry__", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
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

    // tests/Otto.Schemas.Tests/bin/<Configuration>/<tfm>/ → src/Otto.Schemas.Cli/bin/<Configuration>/<tfm>/
    private static string FindTool()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = tfm.Parent!.Name;
        var dll = Path.Combine(RepoPaths.Root, "src", "Otto.Schemas.Cli", "bin", configuration, tfm.Name, "Otto.Schemas.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the schema tool is not built", dll);
    }
}
