using Otto.Streams.KafkaNative;

namespace Otto.Deployment.Tests;

/// <summary>
/// Whether the native libraries the worker loads run on the image's base, mcr.microsoft.com/dotnet/aspnet:10.0, without
/// pulling it (no Docker engine here): their ELF headers (the files the build copies next to the worker, as
/// `dotnet publish` does) against the libraries of the packages Microsoft installs in that image.
/// </summary>
public sealed class NativeDependencyTests
{
    /// <summary>What the image's packages provide: Ubuntu 24.04 (noble) plus the packages of Microsoft's runtime-deps
    /// image (dotnet/dotnet-docker src/runtime-deps/10.0/noble: ca-certificates, libc6, libgcc-s1, libicu74,
    /// libssl3t64, libstdc++6, tzdata), by their files.</summary>
    private static readonly HashSet<string> BaseImageLibraries =
    [
        // libc6 (glibc 2.39; libdl, libpthread and librt are stubs kept for old binaries)
        "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2", "libutil.so.1", "ld-linux-x86-64.so.2",
        "libgcc_s.so.1", "libstdc++.so.6", "libssl.so.3", "libcrypto.so.3", "libicuuc.so.74", "libicui18n.so.74", "libicudata.so.74",
        "libz.so.1", // zlib1g, in Ubuntu's base image
    ];

    private static readonly Version BaseImageGlibc = new(2, 39);

    private static string Native(string file) => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file);

    [Theory]
    [InlineData(LibrdkafkaLoader.FileName)] // what LibrdkafkaLoader binds Confluent.Kafka to
    [InlineData("librocksdb.so")] // RocksDbSharp's glibc build (its -jemalloc variant needs libjemalloc.so.2, absent, so it is not chosen)
    public void The_worker_s_native_library_needs_only_what_the_aspnet_image_has(string file)
    {
        var elf = ElfFile.Read(Native(file));
        Assert.NotEmpty(elf.Needed);
        Assert.All(elf.Needed, library => Assert.Contains(library, BaseImageLibraries));
        Assert.True(elf.NewestGlibc <= BaseImageGlibc, $"{file} needs glibc {elf.NewestGlibc}; the image has {BaseImageGlibc}");
    }

    [Fact]
    public void The_redist_s_default_librdkafka_would_not_load_there_which_is_why_the_loader_picks_its_centos8_build()
    {
        var elf = ElfFile.Read(Native("librdkafka.so"));
        Assert.Equal(["libsasl2.so.3"], elf.Needed.Where(l => !BaseImageLibraries.Contains(l)));
    }
}
