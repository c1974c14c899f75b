using System.Diagnostics;
using Avro;

namespace Otto.Schemas;

/// <summary>A schema directory as git has it at a revision, and its history, read with the git command.</summary>
/// <param name="schemaDir">The directory inside a git work tree.</param>
public sealed class SchemaGitHistory(string schemaDir)
{
    private readonly string _dir = Path.GetFullPath(schemaDir);

    /// <summary>Earlier versions of each file: the directory at each commit up to <paramref name="gitRef"/> that
    /// changed it, oldest first, labelled with the short commit hash, one entry per distinct version. With
    /// <paramref name="allCommits"/> false only <paramref name="gitRef"/> itself is read (enough for the
    /// non-transitive levels).</summary>
    /// <exception cref="AvroException">Not a git repository, unknown revision, or a version does not parse.</exception>
    public IReadOnlyDictionary<string, List<(string Label, Schema Schema)>> History(string gitRef, bool allCommits)
    {
        // Paths are taken from the top of the work tree, where git prints and accepts them whole.
        var top = Git(_dir, "rev-parse", "--show-toplevel").Trim();
        var prefix = Git(_dir, "rev-parse", "--show-prefix").Trim();
        var pathspec = prefix.Length == 0 ? "." : prefix;
        var commit = Git(top, "rev-parse", "--verify", gitRef + "^{commit}").Trim();
        var commits = allCommits
            ? Git(top, "rev-list", "--reverse", commit, "--", pathspec).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [commit];
        var history = new Dictionary<string, List<(string, Schema)>>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in commits)
        {
            var files = Git(top, "ls-tree", "--name-only", c, "--", pathspec).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.EndsWith(".avsc", StringComparison.Ordinal) && !p[prefix.Length..].Contains('/'))
                .Select(p => (Path.GetFileName(p), Git(top, "show", $"{c}:{p}")))
                .ToList();
            IReadOnlyList<SchemaFile> parsed;
            try
            {
                parsed = SchemaFiles.Load(files);
            }
            catch (AvroException e)
            {
                throw new AvroException($"schemas at {c[..10]}: {e.Message}", e);
            }
            foreach (var file in parsed)
            {
                var versions = history.TryGetValue(file.FileName, out var v) ? v : history[file.FileName] = [];
                // A commit that changed another file leaves this one as it was (types inlined from other files
                // count: a changed enum changes the records using it).
                var text = file.Schema.ToString();
                if (versions.Count == 0 || texts[file.FileName] != text) versions.Add((c[..10], file.Schema));
                texts[file.FileName] = text;
            }
        }
        return history;
    }

    private static string Git(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new AvroException("could not start git");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new AvroException($"git {string.Join(' ', args)} failed in {workingDirectory}: {(stderr.Result.Trim() is { Length: > 0 } err ? err : $"exit code {process.ExitCode}")}");
    }
}
