using System.Text.RegularExpressions;
using Otto.Streams.Worker.Configuration;

namespace Otto.Deployment.Tests;

/// <summary>docker/Dockerfile and the `otto` wrapper it installs, as far as text tells: Microsoft's ASP.NET image, a
/// non-root user, no system packages, and the programs and folders the wrapper runs present in the image.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string Dockerfile = RepoFiles.Text("docker/Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal);
    private static readonly string Wrapper = RepoFiles.Text("docker/otto");

    [Fact]
    public void The_image_is_the_aspnet_runtime_run_by_its_unprivileged_user_with_no_packages_added()
    {
        Assert.Matches(@"(?m)^ARG DOTNET_TAG=10\.0$", Dockerfile);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:${DOTNET_TAG}", FromLines().Last());
        Assert.Matches(@"(?m)^USER \$APP_UID$", Dockerfile);
        Assert.DoesNotContain("apt-get", Dockerfile);
        Assert.Matches(@"(?m)^ENTRYPOINT \[""otto""\]$", Dockerfile);
    }

    [Fact]
    public void The_wrapper_runs_the_programs_the_image_publishes()
    {
        var published = PublishLine().Matches(Dockerfile).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        Assert.Equal(2, published.Count);
        foreach (var (output, project) in published)
        {
            Assert.True(File.Exists(Path.Combine(RepoFiles.Root, project)), project);
            var copied = Assert.Single(Regex.Matches(Dockerfile, $@"(?m)^COPY --from=build {Regex.Escape(output)} (\S+)$")).Groups[1].Value;
            Assert.Contains($"exec dotnet {copied}{Path.GetFileNameWithoutExtension(project)}.dll \"$@\"", Wrapper);
        }
        Assert.Contains(typeof(OttoOptions).Assembly.GetName().Name + ".dll", Wrapper);
        // `otto schemas register` reads ./schemas from the working directory.
        Assert.Matches(@"(?m)^WORKDIR /app$", Dockerfile);
        Assert.Matches(@"(?m)^COPY schemas /app/schemas/$", Dockerfile);
        Assert.Matches(@"(?m)^\s*schemas \| avro\) exec dotnet /app/schemas-cli/", Wrapper);
    }

    private static IEnumerable<string> FromLines() =>
        Dockerfile.Split('\n').Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]);

    [GeneratedRegex(@"dotnet publish (\S+\.csproj) .*?-o (\S+) ")]
    private static partial Regex PublishLine();
}
