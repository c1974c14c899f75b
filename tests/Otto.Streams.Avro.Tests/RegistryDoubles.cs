using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Avro.Tests;

/// <summary>Counts calls that reach the registry.</summary>
internal sealed class CountingRegistry(ISchemaRegistryClient inner) : DelegatingRegistry(inner)
{
    public int Registers;
    public int SchemaFetches;

    public override Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Registers);
        return base.RegisterAsync(subject, schema, cancellationToken);
    }

    public override Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref SchemaFetches);
        return base.GetSchemaByIdAsync(id, cancellationToken);
    }
}

/// <summary>Completes asynchronously, as a remote registry does, to expose sync-over-async deadlocks.</summary>
internal sealed class YieldingRegistry(ISchemaRegistryClient inner) : DelegatingRegistry(inner)
{
    public override async Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await base.RegisterAsync(subject, schema, cancellationToken);
    }

    public override async Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await base.GetSchemaByIdAsync(id, cancellationToken);
    }
}

internal abstract class DelegatingRegistry(ISchemaRegistryClient inner) : ISchemaRegistryClient
{
    public virtual Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.RegisterAsync(subject, schema, cancellationToken);
    public virtual Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default) => inner.GetSchemaByIdAsync(id, cancellationToken);
    public Task<RegisteredSchema> LookupAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.LookupAsync(subject, schema, cancellationToken);
    public Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) => inner.GetSubjectsAsync(cancellationToken);
    public Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) => inner.GetVersionsAsync(subject, cancellationToken);
    public Task<RegisteredSchema> GetVersionAsync(string subject, int version, CancellationToken cancellationToken = default) => inner.GetVersionAsync(subject, version, cancellationToken);
    public Task<RegisteredSchema> GetLatestVersionAsync(string subject, CancellationToken cancellationToken = default) => inner.GetLatestVersionAsync(subject, cancellationToken);
    public Task<bool> TestCompatibilityAsync(string subject, string schema, CancellationToken cancellationToken = default) => inner.TestCompatibilityAsync(subject, schema, cancellationToken);
    public Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default) => inner.GetCompatibilityAsync(subject, cancellationToken);
    public Task SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default) => inner.SetCompatibilityAsync(level, subject, cancellationToken);
    public Task<CompatibilityLevel> DeleteCompatibilityAsync(string subject, CancellationToken cancellationToken = default) => inner.DeleteCompatibilityAsync(subject, cancellationToken);
    public Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default) => inner.DeleteSubjectAsync(subject, permanent, cancellationToken);
    public Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default) => inner.DeleteVersionAsync(subject, version, permanent, cancellationToken);
}
