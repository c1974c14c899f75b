using System.Collections.Concurrent;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Registry;

/// <summary>
/// A schema registry held in memory, with Confluent's semantics: registry-wide ids shared by identical schemas,
/// per-subject versions, compatibility checked on register (default BACKWARD), Confluent error codes. It is
/// the client for mock:// URLs (one registry per scope name, as Confluent's clients do) and the core the dev
/// HTTP server serves. Thread-safe.
/// </summary>
public sealed class InMemorySchemaRegistry : ISchemaRegistryClient
{
    private static readonly ConcurrentDictionary<string, InMemorySchemaRegistry> Scopes = new(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly List<(string Json, AvroSchema Parsed)> _schemasById = new();
    private readonly Dictionary<string, int> _idsBySchema = new(StringComparer.Ordinal);
    // Every version a subject has had, soft-deleted ones included (they keep their numbers taken); in order.
    private readonly SortedDictionary<string, List<SubjectVersion>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompatibilityLevel> _subjectLevels = new(StringComparer.Ordinal);
    private CompatibilityLevel _globalLevel = CompatibilityLevel.Backward;

    /// <summary>The shared registry for mock scope <paramref name="scope"/> (the host part of a mock:// URL).</summary>
    public static InMemorySchemaRegistry ForScope(string scope) => Scopes.GetOrAdd(scope, _ => new InMemorySchemaRegistry());

    /// <summary>Forgets the registry of mock scope <paramref name="scope"/>.</summary>
    public static void DropScope(string scope) => Scopes.TryRemove(scope, out _);

    /// <summary>Synchronous <see cref="RegisterAsync"/>.</summary>
    public int Register(string subject, string schema)
    {
        var parsed = ParseSchema(schema);
        var normalized = parsed.ToJson();
        lock (_lock)
        {
            var versions = _subjects.GetValueOrDefault(subject) ?? [];
            var live = versions.Where(v => !v.Deleted).ToList();
            if (_idsBySchema.TryGetValue(normalized, out var existingId) && live.Any(v => v.Id == existingId)) return existingId;
            var problems = AvroCompatibility.Check(LevelOf(subject), parsed, live.Select(v => _schemasById[v.Id - 1].Parsed).ToList());
            if (problems.Count > 0)
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.IncompatibleSchema, 409,
                    $"schema being registered is incompatible with an earlier schema for subject '{subject}': {string.Join("; ", problems)}");
            if (!_idsBySchema.TryGetValue(normalized, out var id))
            {
                _schemasById.Add((normalized, parsed));
                id = _schemasById.Count;
                _idsBySchema.Add(normalized, id);
            }
            versions.Add(new SubjectVersion(versions.Count == 0 ? 1 : versions[^1].Version + 1, id));
            _subjects[subject] = versions;
            return id;
        }
    }

    /// <summary>Synchronous <see cref="GetSchemaByIdAsync"/>.</summary>
    public string GetSchemaById(int id)
    {
        lock (_lock)
        {
            return id >= 1 && id <= _schemasById.Count
                ? _schemasById[id - 1].Json
                : throw new SchemaRegistryException(SchemaRegistryErrorCodes.SchemaNotFound, 404, $"schema {id} not found");
        }
    }

    /// <summary>Synchronous <see cref="LookupAsync"/>.</summary>
    public RegisteredSchema Lookup(string subject, string schema)
    {
        var normalized = ParseSchema(schema).ToJson();
        lock (_lock)
        {
            var versions = LiveVersionsOf(subject);
            var found = _idsBySchema.TryGetValue(normalized, out var id) ? versions.FirstOrDefault(v => v.Id == id) : null;
            return found is not null
                ? new RegisteredSchema(subject, found.Version, id, normalized)
                : throw new SchemaRegistryException(SchemaRegistryErrorCodes.SchemaNotFound, 404, $"schema not found under subject '{subject}'");
        }
    }

    /// <summary>Synchronous <see cref="GetSubjectsAsync"/>.</summary>
    public IReadOnlyList<string> GetSubjects()
    {
        lock (_lock) return _subjects.Where(e => e.Value.Any(v => !v.Deleted)).Select(e => e.Key).ToList();
    }

    /// <summary>Synchronous <see cref="GetVersionsAsync"/>.</summary>
    public IReadOnlyList<int> GetVersions(string subject)
    {
        lock (_lock) return LiveVersionsOf(subject).Select(v => v.Version).ToList();
    }

    /// <summary>Synchronous <see cref="GetVersionAsync"/>; version -1 means the latest.</summary>
    public RegisteredSchema GetVersion(string subject, int version)
    {
        if (version == 0 || version < -1)
            throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidVersion, 422, $"invalid version {version}");
        lock (_lock)
        {
            var versions = LiveVersionsOf(subject);
            var found = version == -1 ? versions[^1] : versions.FirstOrDefault(v => v.Version == version)
                ?? throw new SchemaRegistryException(SchemaRegistryErrorCodes.VersionNotFound, 404, $"version {version} of subject '{subject}' not found");
            return new RegisteredSchema(subject, found.Version, found.Id, _schemasById[found.Id - 1].Json);
        }
    }

    /// <summary>Synchronous <see cref="TestCompatibilityAsync"/>.</summary>
    public bool TestCompatibility(string subject, string schema) => CompatibilityProblems(subject, schema).Count == 0;

    /// <summary>Why <paramref name="schema"/> may not be registered next under <paramref name="subject"/>.</summary>
    public IReadOnlyList<string> CompatibilityProblems(string subject, string schema)
    {
        var parsed = ParseSchema(schema);
        lock (_lock)
        {
            var existing = LiveVersionsOf(subject).Select(v => _schemasById[v.Id - 1].Parsed).ToList();
            return AvroCompatibility.Check(LevelOf(subject), parsed, existing);
        }
    }

    /// <summary>Synchronous <see cref="GetCompatibilityAsync"/>.</summary>
    public CompatibilityLevel GetCompatibility(string? subject = null)
    {
        lock (_lock) return subject is null ? _globalLevel : LevelOf(subject);
    }

    /// <summary>The subject's own level, or null when it falls back to the global level.</summary>
    public CompatibilityLevel? GetSubjectCompatibility(string subject)
    {
        lock (_lock) return _subjectLevels.TryGetValue(subject, out var level) ? level : null;
    }

    /// <summary>Synchronous <see cref="SetCompatibilityAsync"/>.</summary>
    public void SetCompatibility(CompatibilityLevel level, string? subject = null)
    {
        lock (_lock)
        {
            if (subject is null) _globalLevel = level;
            else _subjectLevels[subject] = level;
        }
    }

    /// <summary>Synchronous <see cref="DeleteSubjectAsync"/>.</summary>
    public IReadOnlyList<int> DeleteSubject(string subject, bool permanent = false)
    {
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var versions) || versions.Count == 0 || (!permanent && versions.All(v => v.Deleted)))
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectNotFound, 404, $"subject '{subject}' not found");
            if (!permanent)
            {
                var deleted = versions.Where(v => !v.Deleted).ToList();
                deleted.ForEach(v => v.Deleted = true);
                return deleted.Select(v => v.Version).ToList();
            }
            if (versions.Any(v => !v.Deleted))
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectNotSoftDeleted, 404,
                    $"subject '{subject}' was not deleted first before being permanently deleted");
            _subjects.Remove(subject);
            _subjectLevels.Remove(subject);
            return versions.Select(v => v.Version).ToList();
        }
    }

    /// <summary>Synchronous <see cref="DeleteVersionAsync"/>; version -1 means the latest.</summary>
    public int DeleteVersion(string subject, int version, bool permanent = false)
    {
        if (version == 0 || version < -1)
            throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidVersion, 422, $"invalid version {version}");
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var versions) || versions.Count == 0)
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectNotFound, 404, $"subject '{subject}' not found");
            var found = version == -1 ? versions.LastOrDefault(v => !v.Deleted) : versions.FirstOrDefault(v => v.Version == version);
            if (found is null || (!permanent && found.Deleted))
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.VersionNotFound, 404, $"version {version} of subject '{subject}' not found");
            if (!permanent)
            {
                found.Deleted = true;
                return found.Version;
            }
            if (!found.Deleted)
                throw new SchemaRegistryException(SchemaRegistryErrorCodes.VersionNotSoftDeleted, 404,
                    $"version {found.Version} of subject '{subject}' was not deleted first before being permanently deleted");
            versions.Remove(found);
            return found.Version;
        }
    }

    /// <summary>Synchronous <see cref="DeleteCompatibilityAsync"/>.</summary>
    public CompatibilityLevel DeleteCompatibility(string subject)
    {
        lock (_lock)
        {
            return _subjectLevels.Remove(subject, out var level)
                ? level
                : throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectCompatibilityNotConfigured, 404,
                    $"subject '{subject}' does not have subject-level compatibility configured");
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default) =>
        Run(() => DeleteSubject(subject, permanent));

    /// <inheritdoc />
    public Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default) =>
        Run(() => DeleteVersion(subject, version, permanent));

    /// <inheritdoc />
    public Task<CompatibilityLevel> DeleteCompatibilityAsync(string subject, CancellationToken cancellationToken = default) =>
        Run(() => DeleteCompatibility(subject));

    /// <inheritdoc />
    public Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default) =>
        Run(() => Register(subject, schema));

    /// <inheritdoc />
    public Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default) => Run(() => GetSchemaById(id));

    /// <inheritdoc />
    public Task<RegisteredSchema> LookupAsync(string subject, string schema, CancellationToken cancellationToken = default) =>
        Run(() => Lookup(subject, schema));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) => Run(GetSubjects);

    /// <inheritdoc />
    public Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) =>
        Run(() => GetVersions(subject));

    /// <inheritdoc />
    public Task<RegisteredSchema> GetVersionAsync(string subject, int version, CancellationToken cancellationToken = default) =>
        Run(() => GetVersion(subject, version));

    /// <inheritdoc />
    public Task<RegisteredSchema> GetLatestVersionAsync(string subject, CancellationToken cancellationToken = default) =>
        Run(() => GetVersion(subject, -1));

    /// <inheritdoc />
    public Task<bool> TestCompatibilityAsync(string subject, string schema, CancellationToken cancellationToken = default) =>
        Run(() => TestCompatibility(subject, schema));

    /// <inheritdoc />
    public Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default) =>
        Run(() => GetCompatibility(subject));

    /// <inheritdoc />
    public Task SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            SetCompatibility(level, subject);
            return true;
        });

    // Errors go into the returned task, as they would from a remote registry.
    private static Task<T> Run<T>(Func<T> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private CompatibilityLevel LevelOf(string subject) => _subjectLevels.GetValueOrDefault(subject, _globalLevel);

    private List<SubjectVersion> LiveVersionsOf(string subject) =>
        _subjects.TryGetValue(subject, out var versions) && versions.Any(v => !v.Deleted)
            ? versions.Where(v => !v.Deleted).ToList()
            : throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectNotFound, 404, $"subject '{subject}' not found");

    private sealed class SubjectVersion(int version, int id)
    {
        public int Version { get; } = version;
        public int Id { get; } = id;
        public bool Deleted { get; set; }
    }

    private static AvroSchema ParseSchema(string schema)
    {
        try
        {
            return AvroSchema.Parse(schema);
        }
        catch (AvroSchemaException e)
        {
            throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidSchema, 422, $"invalid schema: {e.Message}", e);
        }
    }
}
