using Confluent.Kafka;
using Otto.Streams.KafkaNative;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>The clients and the mock cluster run on the shipped librdkafka, never on a system one (Debian's 2.0.2
/// loaded silently when the redist's default build failed to load, and crashed at the first consume).</summary>
public sealed class LibrdkafkaLoadingTests
{
    [Fact]
    public void The_shipped_version_passes_the_check()
    {
        Assert.Null(LibrdkafkaLoader.VersionProblem(LibrdkafkaLoader.ShippedVersion));
    }

    [Theory]
    [InlineData("2.0.2")]
    [InlineData("2.15.1")]
    [InlineData("2.16.0-RC1")]
    [InlineData("")]
    [InlineData(null)]
    public void Any_other_version_is_refused_with_both_versions_named(string? loaded)
    {
        var problem = LibrdkafkaLoader.VersionProblem(loaded);

        Assert.NotNull(problem);
        Assert.Contains(LibrdkafkaLoader.ShippedVersion, problem);
        Assert.Contains(string.IsNullOrEmpty(loaded) ? "librdkafka " : loaded, problem);
    }

    [Fact]
    public void Clients_load_the_shipped_version_from_the_dependency_free_build()
    {
        LibrdkafkaLoader.EnsureLoaded();

        Assert.Equal(LibrdkafkaLoader.ShippedVersion, Library.VersionString);
        Assert.Null(LibrdkafkaLoader.Problem);
        Assert.EndsWith(LibrdkafkaLoader.FileName, LibrdkafkaLoader.LibraryPath);
    }

    [Fact]
    public void The_mock_cluster_and_the_clients_share_one_librdkafka_file()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
        Assert.Equal(Library.VersionString, EmbeddedKafkaCluster.LibrdkafkaVersion);

        // One mapped librdkafka in the process: the shipped file, nothing from the system.
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(5))
            .Where(path => path is not null && path.Contains("librdkafka", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Equal([LibrdkafkaLoader.LibraryPath], mapped);
    }
}
