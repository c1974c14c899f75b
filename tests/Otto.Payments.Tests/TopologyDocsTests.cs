using Otto.Payments.Docs;

namespace Otto.Payments.Tests;

/// <summary>topology-docs/ is generated from the code, never edited by hand: these tests fail when a checked-in file
/// differs from what the code generates, is missing, or is no longer generated. Regenerate with ./otto describe.</summary>
public class TopologyDocsTests
{
    [Fact]
    public void The_checked_in_topology_docs_match_the_code()
    {
        var directory = Path.Combine(RepoRoot(), "topology-docs");
        var changes = DocsDirectory.Sync(directory, TopologyDocs.Generate(new PaymentsOptions()), write: false);

        Assert.True(changes.Count == 0, string.Join("\n", changes.Select(c => c.Kind switch
        {
            DocsChangeKind.Created => $"topology-docs/{c.File} is missing",
            DocsChangeKind.Updated => $"topology-docs/{c.File} is out of date with the code",
            _ => $"topology-docs/{c.File} is no longer generated",
        }).Append($"Run {TopologyDocs.Command} and commit the result.")));
    }

    [Fact]
    public void Every_generated_file_says_it_is_generated_and_by_which_command()
    {
        foreach (var (name, content) in TopologyDocs.Generate(new PaymentsOptions()))
            Assert.True(content.Split('\n')[0].Contains($"Generated from the code by {(name.EndsWith(".md") ? $"`{TopologyDocs.Command}`" : TopologyDocs.Command)}"), name);
    }

    [Fact]
    public void Sync_reports_a_missing_a_stale_and_an_extra_file_and_writing_fixes_all_three()
    {
        var directory = Directory.CreateTempSubdirectory("otto-docs-test-").FullName;
        try
        {
            var files = new Dictionary<string, string> { ["a.md"] = "a\n", ["b.md"] = "b\n", ["c.md"] = "c\n" };
            File.WriteAllText(Path.Combine(directory, "a.md"), "a\n");
            File.WriteAllText(Path.Combine(directory, "b.md"), "b edited by hand\n");
            File.WriteAllText(Path.Combine(directory, "old.md"), "no longer generated\n");

            Assert.Equal([new("b.md", DocsChangeKind.Updated), new("c.md", DocsChangeKind.Created), new("old.md", DocsChangeKind.Removed)],
                DocsDirectory.Sync(directory, files, write: false));
            Assert.Equal("b edited by hand\n", File.ReadAllText(Path.Combine(directory, "b.md"))); // checking changes nothing

            Assert.Equal(3, DocsDirectory.Sync(directory, files, write: true).Count);
            Assert.Empty(DocsDirectory.Sync(directory, files, write: false));
            Assert.Equal(["a.md", "b.md", "c.md"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            Assert.Equal("b\n", File.ReadAllText(Path.Combine(directory, "b.md")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Otto.Streams.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Otto.Streams.sln not found above the test assembly.");
    }
}
