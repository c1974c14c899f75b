using Avro;
using Otto.Schemas.Compatibility;

namespace Otto.DevSchemaRegistry;

/// <summary>A subject's version as the registry answers it.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Version">Its version number, from 1.</param>
/// <param name="Id">The registry-wide schema id.</param>
/// <param name="Schema">The schema text, as first registered under that id.</param>
public sealed record RegisteredVersion(string Subject, int Version, int Id, string Schema);

/// <summary>
/// The dev registry's state, with Confluent's semantics: registry-wide ids shared by identical schemas (identity is
/// Apache.Avro's Parsing Canonical Form, so whitespace, docs and attribute order do not make a new id), per-subject
/// versions, compatibility checked on register (global default BACKWARD, per-subject overrides) with
/// <see cref="SchemaCompatibility"/>, soft and permanent deletes. Soft- and permanently deleted versions keep their
/// ids readable, so old data still decodes. Thread-safe.
/// </summary>
public sealed class InMemoryRegistry
{
    private readonly Lock _lock = new();
    private readonly List<(string Text, Schema Parsed)> _schemasById = new();
    private readonly Dictionary<string, int> _idsByCanonicalForm = new(StringComparer.Ordinal);
    // Every version a subject has had, soft-deleted ones included (they keep their numbers taken); in order.
    private readonly SortedDictionary<string, List<SubjectVersion>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompatibilityLevel> _subjectLevels = new(StringComparer.Ordinal);
    private CompatibilityLevel _globalLevel = CompatibilityLevel.Backward;

    private sealed class SubjectVersion(int version, int id)
    {
        public int Version { get; } = version;
        public int Id { get; } = id;
        public bool Deleted { get; set; }
    }

    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (a new version unless the subject
    /// already has it); returns its id.</summary>
    /// <exception cref="RegistryException">42201 invalid schema, 409 incompatible with the subject's level.</exception>
    public int Register(string subject, string schema)
    {
        var parsed = Parse(schema);
        var canonical = SchemaNormalization.ToParsingForm(parsed);
        lock (_lock)
        {
            var versions = _subjects.GetValueOrDefault(subject) ?? [];
            var live = versions.Where(v => !v.Deleted).ToList();
            if (_idsByCanonicalForm.TryGetValue(canonical, out var existingId) && live.Any(v => v.Id == existingId)) return existingId;
            var problems = SchemaCompatibility.Check(LevelOf(subject), parsed,
                live.Select(v => ($"v{v.Version}", _schemasById[v.Id - 1].Parsed)).ToList());
            if (problems.Count > 0)
                throw new RegistryException(RegistryErrorCodes.IncompatibleSchema,
                    $"Schema being registered is incompatible with an earlier schema for subject \"{subject}\": {string.Join("; ", problems)}");
            if (!_idsByCanonicalForm.TryGetValue(canonical, out var id))
            {
                _schemasById.Add((schema, parsed));
                id = _schemasById.Count;
                _idsByCanonicalForm.Add(canonical, id);
            }
            versions.Add(new SubjectVersion(versions.Count == 0 ? 1 : versions[^1].Version + 1, id));
            _subjects[subject] = versions;
            return id;
        }
    }

    /// <summary>The schema with id <paramref name="id"/>, deleted or not.</summary>
    /// <exception cref="RegistryException">40403.</exception>
    public string GetSchemaById(int id)
    {
        lock (_lock)
        {
            return id >= 1 && id <= _schemasById.Count
                ? _schemasById[id - 1].Text
                : throw new RegistryException(RegistryErrorCodes.SchemaNotFound, $"Schema {id} not found");
        }
    }

    /// <summary>The version of <paramref name="subject"/> holding <paramref name="schema"/>.</summary>
    /// <exception cref="RegistryException">40401 no such subject, 40403 not under it, 42201 invalid schema.</exception>
    public RegisteredVersion Lookup(string subject, string schema, bool includeDeleted = false)
    {
        var canonical = SchemaNormalization.ToParsingForm(Parse(schema));
        lock (_lock)
        {
            var versions = VersionsOf(subject, includeDeleted);
            var found = _idsByCanonicalForm.TryGetValue(canonical, out var id) ? versions.LastOrDefault(v => v.Id == id) : null;
            return found is not null
                ? new RegisteredVersion(subject, found.Version, id, _schemasById[id - 1].Text)
                : throw new RegistryException(RegistryErrorCodes.SchemaNotFound, $"Schema not found under subject \"{subject}\"");
        }
    }

    /// <summary>Subjects with a live version (or any version with <paramref name="includeDeleted"/>).</summary>
    public IReadOnlyList<string> GetSubjects(bool includeDeleted = false)
    {
        lock (_lock) return _subjects.Where(e => e.Value.Any(v => includeDeleted || !v.Deleted)).Select(e => e.Key).ToList();
    }

    /// <summary>The subject's version numbers, oldest first.</summary>
    /// <exception cref="RegistryException">40401.</exception>
    public IReadOnlyList<int> GetVersions(string subject, bool includeDeleted = false)
    {
        lock (_lock) return VersionsOf(subject, includeDeleted).Select(v => v.Version).ToList();
    }

    /// <summary>One version; -1 is the latest.</summary>
    /// <exception cref="RegistryException">40401, 40402, 42202.</exception>
    public RegisteredVersion GetVersion(string subject, int version, bool includeDeleted = false)
    {
        CheckVersion(version);
        lock (_lock)
        {
            var versions = VersionsOf(subject, includeDeleted);
            var found = version == -1 ? versions.LastOrDefault(v => !v.Deleted) ?? versions[^1] : versions.FirstOrDefault(v => v.Version == version)
                ?? throw new RegistryException(RegistryErrorCodes.VersionNotFound, $"Version {version} not found for subject \"{subject}\"");
            return new RegisteredVersion(subject, found.Version, found.Id, _schemasById[found.Id - 1].Text);
        }
    }

    /// <summary>Why <paramref name="schema"/> may not follow <paramref name="subject"/>'s versions at its level:
    /// against <paramref name="version"/> only (-1 the latest), or with null against what the level asks (the
    /// latest, or every version for _TRANSITIVE levels). Empty when compatible or the subject has no versions.</summary>
    /// <exception cref="RegistryException">40401/40402 for a version that does not exist, 42201 invalid schema.</exception>
    public IReadOnlyList<string> CompatibilityProblems(string subject, string schema, int? version)
    {
        var parsed = Parse(schema);
        lock (_lock)
        {
            var level = LevelOf(subject);
            if (version is { } v)
            {
                var one = GetVersion(subject, v);
                var direction = level switch
                {
                    CompatibilityLevel.BackwardTransitive => CompatibilityLevel.Backward,
                    CompatibilityLevel.ForwardTransitive => CompatibilityLevel.Forward,
                    CompatibilityLevel.FullTransitive => CompatibilityLevel.Full,
                    _ => level,
                };
                // Against one version the reasons need no "against vN" label: the caller named the version.
                return SchemaCompatibility.Check(direction, parsed, [_schemasById[one.Id - 1].Parsed]);
            }
            var live = (_subjects.GetValueOrDefault(subject) ?? []).Where(x => !x.Deleted);
            return SchemaCompatibility.Check(level, parsed, live.Select(x => ($"v{x.Version}", _schemasById[x.Id - 1].Parsed)).ToList());
        }
    }

    /// <summary>The level <paramref name="subject"/> is checked at (its own, else the global one); null: global.</summary>
    public CompatibilityLevel GetCompatibility(string? subject = null)
    {
        lock (_lock) return subject is null ? _globalLevel : LevelOf(subject);
    }

    /// <summary>The subject's own level, or null when it falls back to the global level.</summary>
    public CompatibilityLevel? GetSubjectCompatibility(string subject)
    {
        lock (_lock) return _subjectLevels.TryGetValue(subject, out var level) ? level : null;
    }

    /// <summary>Sets the level of <paramref name="subject"/>, or the global level when null.</summary>
    public void SetCompatibility(CompatibilityLevel level, string? subject = null)
    {
        lock (_lock)
        {
            if (subject is null) _globalLevel = level;
            else _subjectLevels[subject] = level;
        }
    }

    /// <summary>Removes the subject's own level; returns it.</summary>
    /// <exception cref="RegistryException">40408 when it had none.</exception>
    public CompatibilityLevel DeleteCompatibility(string subject)
    {
        lock (_lock)
        {
            return _subjectLevels.Remove(subject, out var level)
                ? level
                : throw new RegistryException(RegistryErrorCodes.SubjectCompatibilityNotConfigured, $"Subject \"{subject}\" does not have subject-level compatibility configured");
        }
    }

    /// <summary>Soft-deletes the subject's live versions, or with <paramref name="permanent"/> forgets a soft-deleted
    /// subject (its ids stay readable); returns the versions deleted.</summary>
    /// <exception cref="RegistryException">40401, 40405.</exception>
    public IReadOnlyList<int> DeleteSubject(string subject, bool permanent = false)
    {
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var versions) || versions.Count == 0 || (!permanent && versions.All(v => v.Deleted)))
                throw new RegistryException(RegistryErrorCodes.SubjectNotFound, $"Subject \"{subject}\" not found");
            if (!permanent)
            {
                var deleted = versions.Where(v => !v.Deleted).ToList();
                deleted.ForEach(v => v.Deleted = true);
                return deleted.Select(v => v.Version).ToList();
            }
            if (versions.Any(v => !v.Deleted))
                throw new RegistryException(RegistryErrorCodes.SubjectNotSoftDeleted, $"Subject \"{subject}\" was not deleted first before being permanently deleted");
            _subjects.Remove(subject);
            _subjectLevels.Remove(subject);
            return versions.Select(v => v.Version).ToList();
        }
    }

    /// <summary>Soft-deletes one version (-1 the latest live one), or with <paramref name="permanent"/> forgets a
    /// soft-deleted one; returns its number.</summary>
    /// <exception cref="RegistryException">40401, 40402, 40407, 42202.</exception>
    public int DeleteVersion(string subject, int version, bool permanent = false)
    {
        CheckVersion(version);
        lock (_lock)
        {
            if (!_subjects.TryGetValue(subject, out var versions) || versions.Count == 0)
                throw new RegistryException(RegistryErrorCodes.SubjectNotFound, $"Subject \"{subject}\" not found");
            var found = version == -1 ? versions.LastOrDefault(v => !v.Deleted) : versions.FirstOrDefault(v => v.Version == version);
            if (found is null || (!permanent && found.Deleted))
                throw new RegistryException(RegistryErrorCodes.VersionNotFound, $"Version {version} not found for subject \"{subject}\"");
            if (!permanent)
            {
                found.Deleted = true;
                return found.Version;
            }
            if (!found.Deleted)
                throw new RegistryException(RegistryErrorCodes.VersionNotSoftDeleted, $"Version {found.Version} of subject \"{subject}\" was not deleted first before being permanently deleted");
            versions.Remove(found);
            return found.Version;
        }
    }

    private CompatibilityLevel LevelOf(string subject) => _subjectLevels.TryGetValue(subject, out var level) ? level : _globalLevel;

    private List<SubjectVersion> VersionsOf(string subject, bool includeDeleted)
    {
        var versions = (_subjects.GetValueOrDefault(subject) ?? []).Where(v => includeDeleted || !v.Deleted).ToList();
        return versions.Count > 0 ? versions : throw new RegistryException(RegistryErrorCodes.SubjectNotFound, $"Subject \"{subject}\" not found");
    }

    private static void CheckVersion(int version)
    {
        if (version == 0 || version < -1) throw new RegistryException(RegistryErrorCodes.InvalidVersion, $"The specified version '{version}' is not a valid version id");
    }

    private static Schema Parse(string schema)
    {
        try
        {
            // Apache.Avro answers null for some invalid schemas, e.g. an unknown type name.
            return Schema.Parse(schema) ?? throw new RegistryException(RegistryErrorCodes.InvalidSchema, "Invalid schema: unknown type");
        }
        catch (RegistryException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Apache.Avro's parser throws more than AvroException on some invalid input (e.g. an unknown type name).
            throw new RegistryException(RegistryErrorCodes.InvalidSchema, $"Invalid schema: {e.Message}");
        }
    }
}
