using Otto.Streams.Avro.Registry;

namespace Otto.Payments.Tests;

/// <summary>topology-docs/ is generated from the code, never edited by hand: this test fails when the
/// checked-in description differs from what the topology says. Regenerate with OTTO_UPDATE_DOCS=1.</summary>
public class TopologyDocsTests
{
    [Fact]
    public void The_checked_in_topology_description_matches_the_code()
    {
        var actual = PaymentsTopology.Build(new PaymentsOptions(), new PaymentsSerDes(new InMemorySchemaRegistry(), true)).Describe();
        var path = Path.Combine(RepoRoot(), "topology-docs", "payments-topology.txt");
        if (Environment.GetEnvironmentVariable("OTTO_UPDATE_DOCS") == "1") File.WriteAllText(path, actual);

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with OTTO_UPDATE_DOCS=1 to generate it.");
        Assert.True(File.ReadAllText(path) == actual,
            $"{path} is out of date with the topology; run the tests with OTTO_UPDATE_DOCS=1 and commit the result.");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Otto.Streams.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Otto.Streams.sln not found above the test assembly.");
    }
}
