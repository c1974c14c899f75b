namespace Otto.Streams.Avro.Registry;

/// <summary>
/// The subset of the Confluent Schema Registry API the serdes and tools use. Implementations: the in-memory
/// <see cref="InMemorySchemaRegistry"/> (for mock:// URLs and tests) and <see cref="HttpSchemaRegistryClient"/>.
/// Failures are <see cref="SchemaRegistryException"/>s carrying Confluent's error code.
/// </summary>
public interface ISchemaRegistryClient
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (or finds it already
    /// registered there) and returns its id. Fails with 409 if the subject's compatibility level rejects it.</summary>
    Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>The schema JSON with id <paramref name="id"/> (40403 if none).</summary>
    Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default);

    /// <summary>The version of <paramref name="subject"/> holding <paramref name="schema"/> (40401 no subject,
    /// 40403 not registered there).</summary>
    Task<RegisteredSchema> LookupAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>All subjects.</summary>
    Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>The versions of <paramref name="subject"/>, ascending (40401 if none).</summary>
    Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>One version of <paramref name="subject"/> (40401, 40402).</summary>
    Task<RegisteredSchema> GetVersionAsync(string subject, int version, CancellationToken cancellationToken = default);

    /// <summary>The latest version of <paramref name="subject"/> (40401).</summary>
    Task<RegisteredSchema> GetLatestVersionAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="schema"/> may be registered next under <paramref name="subject"/>
    /// according to its compatibility level (40401 if the subject does not exist).</summary>
    Task<bool> TestCompatibilityAsync(string subject, string schema, CancellationToken cancellationToken = default);

    /// <summary>The compatibility level of <paramref name="subject"/> (falling back to the global level), or
    /// the global level when <paramref name="subject"/> is null.</summary>
    Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Sets the compatibility level of <paramref name="subject"/>, or the global one when null.</summary>
    Task SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the subject-level compatibility of <paramref name="subject"/>, which then follows the
    /// global level; returns the level removed (40408 if none was set).</summary>
    Task<CompatibilityLevel> DeleteCompatibilityAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>Deletes every version of <paramref name="subject"/> and returns their numbers. A soft delete hides
    /// them (ids stay readable, so old data still decodes); <paramref name="permanent"/> then removes them
    /// (40405 if not soft-deleted first). 40401 if the subject does not exist.</summary>
    Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default);

    /// <summary>Deletes one version (-1: the latest) as <see cref="DeleteSubjectAsync"/> does a subject
    /// (40402 not found, 40407 permanent without a soft delete first); returns its number.</summary>
    Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default);
}
