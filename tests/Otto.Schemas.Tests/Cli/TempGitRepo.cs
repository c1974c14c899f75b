using System.Diagnostics;

namespace Otto.Schemas.Tests.Cli;

/// <summary>A throw-away git repository with a schemas/ directory, for `schemas check --against`.</summary>
internal sealed class TempGitRepo : IDisposable
{
    public TempGitRepo()
    {
        Root = Directory.CreateTempSubdirectory("otto-schemas-").FullName;
        Schemas = Directory.CreateDirectory(Path.Combine(Root, "schemas")).FullName;
        Git("init", "-q", "-b", "main");
    }

    public string Root { get; }

    public string Schemas { get; }

    public void Write(string fileName, string content) => File.WriteAllText(Path.Combine(Schemas, fileName), content);

    public void Commit(string message)
    {
        Git("add", "-A");
        Git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", message);
    }

    public void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
