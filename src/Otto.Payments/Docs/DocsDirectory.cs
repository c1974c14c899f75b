namespace Otto.Payments.Docs;

/// <summary>What generating a docs directory changes in it, or would change.</summary>
public enum DocsChangeKind
{
    /// <summary>The file is generated but missing.</summary>
    Created,

    /// <summary>The file differs from what the code generates.</summary>
    Updated,

    /// <summary>The file is in the directory but no longer generated.</summary>
    Removed,
}

/// <summary>One file that differs between a docs directory and what the code generates.</summary>
/// <param name="File">The file name inside the directory.</param>
/// <param name="Kind">Missing, stale or no longer generated.</param>
public sealed record DocsChange(string File, DocsChangeKind Kind);

/// <summary>
/// A directory that holds only generated files (topology-docs/): compares it with what the code generates and
/// writes it. Every file in it must be generated, so a file the generator no longer produces is stale too.
/// </summary>
public static class DocsDirectory
{
    /// <summary>The files of <paramref name="directory"/> that differ from <paramref name="files"/> (name → content),
    /// in name order; with <paramref name="write"/> they are created, rewritten or deleted.</summary>
    public static IReadOnlyList<DocsChange> Sync(string directory, IReadOnlyDictionary<string, string> files, bool write)
    {
        var changes = new List<DocsChange>();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) changes.Add(new DocsChange(name, DocsChangeKind.Created));
            else if (File.ReadAllText(path) != content) changes.Add(new DocsChange(name, DocsChangeKind.Updated));
        }
        if (Directory.Exists(directory))
            changes.AddRange(Directory.EnumerateFiles(directory).Select(Path.GetFileName)
                .Where(name => !files.ContainsKey(name!)).Select(name => new DocsChange(name!, DocsChangeKind.Removed)));

        if (write)
        {
            Directory.CreateDirectory(directory);
            foreach (var change in changes)
            {
                var path = Path.Combine(directory, change.File);
                if (change.Kind == DocsChangeKind.Removed) File.Delete(path);
                else File.WriteAllText(path, files[change.File]);
            }
        }
        return [.. changes.OrderBy(c => c.File, StringComparer.Ordinal)];
    }
}
