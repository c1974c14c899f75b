using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Avro.Tests;

/// <summary>The same behaviour from the in-memory registry (mock:// URLs) and the HTTP client talking to the dev
/// registry server: deletes, version numbering, compatibility per subject and global.</summary>
public class RegistryContractTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private const string V1 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    private const string V2 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":"x"}]}""";
    private const string V3 = """{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string","default":"x"}]}""";
    private const string Incompatible = """{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""";

    public static TheoryData<string> Kinds => new() { "mock", "http" };

    private ISchemaRegistryClient Client(string kind) => kind == "mock"
        ? new InMemorySchemaRegistry()
        : new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions { Url = registry.Server.Url.ToString() });

    private static string Subject() => "c-" + Guid.NewGuid().ToString("N");

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Soft_then_permanent_delete_of_versions_and_subjects(string kind)
    {
        var client = Client(kind);
        var subject = Subject();
        var id1 = await client.RegisterAsync(subject, V1);
        await client.RegisterAsync(subject, V2);
        await client.RegisterAsync(subject, V3);

        await AssertError(SchemaRegistryErrorCodes.VersionNotSoftDeleted, () => client.DeleteVersionAsync(subject, 2, permanent: true));
        Assert.Equal(2, await client.DeleteVersionAsync(subject, 2));
        Assert.Equal([1, 3], await client.GetVersionsAsync(subject));
        await AssertError(SchemaRegistryErrorCodes.VersionNotFound, () => client.GetVersionAsync(subject, 2));
        await AssertError(SchemaRegistryErrorCodes.VersionNotFound, () => client.DeleteVersionAsync(subject, 2));
        Assert.Equal(2, await client.DeleteVersionAsync(subject, 2, permanent: true));
        Assert.Equal(3, await client.DeleteVersionAsync(subject, -1));
        Assert.Equal(1, (await client.GetLatestVersionAsync(subject)).Version);

        // Registering again continues the numbering past the soft-deleted version 3.
        await client.RegisterAsync(subject, V2);
        Assert.Equal(4, (await client.LookupAsync(subject, V2)).Version);

        await AssertError(SchemaRegistryErrorCodes.SubjectNotSoftDeleted, () => client.DeleteSubjectAsync(subject, permanent: true));
        Assert.Equal([1, 4], await client.DeleteSubjectAsync(subject));
        await AssertError(SchemaRegistryErrorCodes.SubjectNotFound, () => client.GetVersionsAsync(subject));
        await AssertError(SchemaRegistryErrorCodes.SubjectNotFound, () => client.LookupAsync(subject, V1));
        Assert.DoesNotContain(subject, await client.GetSubjectsAsync());
        // Old data still decodes: the id stays readable after the subject is deleted.
        Assert.Equal(V1, await client.GetSchemaByIdAsync(id1));
        Assert.Equal([1, 3, 4], await client.DeleteSubjectAsync(subject, permanent: true));
        await AssertError(SchemaRegistryErrorCodes.SubjectNotFound, () => client.DeleteSubjectAsync(subject));

        // After a permanent delete the subject starts again at version 1, with no compatibility history.
        await client.RegisterAsync(subject, Incompatible);
        Assert.Equal([1], await client.GetVersionsAsync(subject));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Subject_level_compatibility_overrides_the_global_level_until_deleted(string kind)
    {
        var client = Client(kind);
        var subject = Subject();
        await client.RegisterAsync(subject, V1);
        await AssertError(SchemaRegistryErrorCodes.SubjectCompatibilityNotConfigured, () => client.DeleteCompatibilityAsync(subject));
        await client.SetCompatibilityAsync(CompatibilityLevel.None, subject);
        Assert.True(await client.TestCompatibilityAsync(subject, Incompatible));
        Assert.Equal(CompatibilityLevel.None, await client.DeleteCompatibilityAsync(subject));
        Assert.Equal(await client.GetCompatibilityAsync(), await client.GetCompatibilityAsync(subject));
        Assert.False(await client.TestCompatibilityAsync(subject, Incompatible));
        await AssertError(SchemaRegistryErrorCodes.IncompatibleSchema, () => client.RegisterAsync(subject, Incompatible));

        // FORWARD_TRANSITIVE: every earlier version must read the new one.
        await client.SetCompatibilityAsync(CompatibilityLevel.ForwardTransitive, subject);
        await client.RegisterAsync(subject, V2);
        Assert.False(await client.TestCompatibilityAsync(subject, """{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}"""));
    }

    private static async Task AssertError(int code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(call);
        Assert.Equal(code, e.ErrorCode);
        Assert.Equal(SchemaRegistryErrorCodes.HttpStatusOf(code), e.HttpStatus);
    }
}
