namespace Otto.Testing;

/// <summary>Where the repository is, found from the test assembly's directory (tests read its checked-in files).</summary>
public static class RepoPaths
{
    /// <summary>The directory holding Otto.Streams.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The repository's schemas/ directory.</summary>
    public static string Schemas => Path.Combine(Root, "schemas");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Otto.Streams.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Otto.Streams.sln not found above " + AppContext.BaseDirectory);
    }
}
