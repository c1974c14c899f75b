using System.CommandLine;
using Avro;
using AvroSchema = Avro.Schema;
using Confluent.SchemaRegistry;
using Otto.Schemas.Compatibility;
using RegistrySchema = Confluent.SchemaRegistry.Schema;

namespace Otto.Schemas.Cli;

/// <summary>`otto schemas check|register`: the platform team's guard and deployment of schemas/ (see README,
/// "Avro and the Schema Registry"). Exit codes: 0 fine, 1 a schema is incompatible or was rejected, 2 the check
/// could not run (bad arguments, unreadable schemas, git or registry errors).</summary>
public static class SchemasCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var schemasDir = new Option<string>("--schemas") { Description = "Schema directory", DefaultValueFactory = _ => "schemas" };
        var env = new Option<string>("--env") { Description = "Environment in subject names ({env} in subjects.json)", DefaultValueFactory = _ => "qa" };
        var applicationId = new Option<string>("--application-id") { Description = "Worker application id ({applicationId} in subjects.json)", DefaultValueFactory = _ => "otto" };
        var against = new Option<string>("--against") { Description = "Check against this git revision's schemas (for _TRANSITIVE levels, every commit up to it that changed them); default HEAD" };
        var registry = new Option<string>("--registry") { Description = "Schema Registry URL (credentials and TLS: the worker's Otto__SchemaRegistry__* environment variables)" };
        var level = new Option<string>("--compatibility") { Description = "Override the level: NONE, BACKWARD, FORWARD, FULL, *_TRANSITIVE (default: subjects.json for git, each subject's own for --registry)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be registered, change nothing" };

        var check = new Command("check", "Check each schema against its earlier versions (git history or the registry); exit 1 on any incompatibility")
        {
            schemasDir, env, applicationId, against, registry, level,
        };
        check.SetAction((parse, ct) => ToolRun.Run(async () =>
        {
            if (parse.GetValue(against) is not null && parse.GetValue(registry) is not null)
                throw new ToolException("--against and --registry exclude each other");
            var context = Load(parse.GetValue(schemasDir)!, parse.GetValue(env)!, parse.GetValue(applicationId)!, parse.GetValue(level));
            if (parse.GetValue(registry) is not { } url) return CheckGit(context, parse.GetValue(against) ?? "HEAD");
            using var connection = new RegistryConnection(url);
            return await CheckRegistryAsync(context, connection, ct);
        }));

        var register = new Command("register", "Register new or changed schemas under their subjects (schemas/subjects.json)")
        {
            schemasDir, env, applicationId, registry, dryRun,
        };
        register.Validators.Add(r =>
        {
            if (r.GetValue(registry) is null) r.AddError("--registry is required");
        });
        register.SetAction((parse, ct) => ToolRun.Run(async () =>
        {
            var context = Load(parse.GetValue(schemasDir)!, parse.GetValue(env)!, parse.GetValue(applicationId)!, null);
            using var connection = new RegistryConnection(parse.GetValue(registry)!);
            return await RegisterAsync(context, connection, parse.GetValue(dryRun), ct);
        }));

        return new Command("schemas", "Check and register the schemas in schemas/ (platform team)") { check, register };
    }

    private sealed record Context(string Dir, IReadOnlyList<SchemaFile> Files, SubjectMap Subjects, CompatibilityLevel? Level);

    private static Context Load(string dir, string env, string applicationId, string? level) => new(
        dir, SchemaFiles.Load(dir).OrderBy(f => f.FileName, StringComparer.Ordinal).ToList(),
        SubjectMap.Load(dir, env, applicationId), level is null ? null : CompatibilityLevels.Parse(level));

    private static int CheckGit(Context context, string gitRef)
    {
        var level = context.Level ?? context.Subjects.Compatibility;
        var history = new SchemaGitHistory(context.Dir).History(gitRef, allCommits: level.IsTransitive());
        var failures = 0;
        foreach (var file in context.Files)
        {
            var versions = history.GetValueOrDefault(file.FileName) ?? [];
            var checkedVersions = level.IsTransitive() ? versions.Count : Math.Min(versions.Count, 1);
            failures += Report(file.FileName, level.ToWireName(), versions.Count == 0 ? $"new (not in {gitRef})" : null,
                SchemaCompatibility.Check(level, file.Schema, versions), checkedVersions, $"at {gitRef}");
        }
        return Summary("check", context.Files.Count, failures);
    }

    private static async Task<int> CheckRegistryAsync(Context context, RegistryConnection registry, CancellationToken ct)
    {
        var failures = 0;
        var count = 0;
        foreach (var file in context.Files)
        {
            foreach (var subject in context.Subjects.SubjectsByFile[file.FileName])
            {
                count++;
                var verdict = await JudgeAsync(registry, subject, file.Schema, context.Level, ct);
                failures += Report($"{file.FileName} -> {subject}", verdict.Level, verdict.Versions == 0 ? "new subject" : null,
                    verdict.Problems, verdict.Versions, "in the registry");
            }
        }
        return Summary("check", count, failures);
    }

    private sealed record Verdict(string Level, int Versions, IReadOnlyList<string> Problems);

    /// <summary>Whether <paramref name="schema"/> may follow <paramref name="subject"/>'s versions. At the subject's
    /// own level the registry judges (Confluent's IsCompatibleAsync for the latest version, the verbose endpoint per
    /// version for its reasons and for _TRANSITIVE levels); an overriding level is judged here on the versions
    /// read from the registry.</summary>
    private static async Task<Verdict> JudgeAsync(RegistryConnection registry, string subject, AvroSchema schema, CompatibilityLevel? overrideLevel, CancellationToken ct)
    {
        List<int> versions;
        try
        {
            versions = await registry.Client.GetSubjectVersionsAsync(subject);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == 40401)
        {
            return new Verdict((overrideLevel ?? CompatibilityLevel.Backward).ToWireName(), 0, []);
        }
        if (overrideLevel is { } level)
        {
            var history = new List<(string, AvroSchema)>();
            foreach (var version in level.IsTransitive() ? versions : versions.TakeLast(1))
            {
                var registered = await registry.Client.GetRegisteredSchemaAsync(subject, version);
                history.Add(($"v{version}", AvroSchema.Parse(registered.SchemaString)));
            }
            return new Verdict(level.ToWireName(), history.Count, SchemaCompatibility.Check(level, schema, history));
        }

        var levelName = await registry.GetLevelAsync(subject, ct);
        var transitive = CompatibilityLevels.TryParse(levelName, out var parsed) && parsed.IsTransitive();
        var json = schema.ToString();
        var against = transitive ? versions : versions.TakeLast(1).ToList();
        if (!transitive && await registry.Client.IsCompatibleAsync(subject, new RegistrySchema(json, SchemaType.Avro)))
            return new Verdict(levelName, against.Count, []);
        var problems = new List<string>();
        foreach (var version in against)
        {
            var (compatible, messages) = await registry.CheckVersionAsync(subject, version, json, ct);
            if (compatible) continue;
            problems.AddRange(messages.Count == 0 ? [$"against v{version}: the registry refuses it (no reason given)"] : messages.Select(m => $"against v{version}: {m}"));
        }
        return new Verdict(levelName, against.Count, problems);
    }

    private static async Task<int> RegisterAsync(Context context, RegistryConnection registry, bool dryRun, CancellationToken ct)
    {
        var failures = 0;
        var count = 0;
        foreach (var file in context.Files)
        {
            var schema = new RegistrySchema(file.Schema.ToString(), SchemaType.Avro);
            foreach (var subject in context.Subjects.SubjectsByFile[file.FileName])
            {
                count++;
                var target = $"{file.FileName} -> {subject}";
                try
                {
                    var existing = await registry.Client.LookupSchemaAsync(subject, schema, ignoreDeletedSchemas: true, normalize: false);
                    Console.WriteLine($"{target}: unchanged (id {existing.Id}, version {existing.Version})");
                    continue;
                }
                catch (SchemaRegistryException e) when (e.ErrorCode is 40401 or 40403)
                {
                    // A new subject or a changed schema: register below.
                }
                if (dryRun)
                {
                    var verdict = await JudgeAsync(registry, subject, file.Schema, null, ct);
                    Console.WriteLine(verdict.Problems.Count == 0
                        ? $"{target}: would register ({(verdict.Versions == 0 ? "new subject" : $"{verdict.Level} compatible")})"
                        : $"{target}: would be REJECTED ({verdict.Level})");
                    foreach (var p in verdict.Problems) Console.WriteLine($"  - {p}");
                    failures += verdict.Problems.Count == 0 ? 0 : 1;
                    continue;
                }
                try
                {
                    var id = await registry.Client.RegisterSchemaAsync(subject, schema);
                    Console.WriteLine($"{target}: registered (id {id})");
                }
                catch (SchemaRegistryException e) when (e.ErrorCode == 409)
                {
                    Console.WriteLine($"{target}: REJECTED: {e.Message}");
                    failures++;
                }
            }
        }
        return Summary(dryRun ? "register (dry run)" : "register", count, failures);
    }

    private static int Report(string target, string level, string? newNote, IReadOnlyList<string> problems, int versions, string where)
    {
        if (newNote is not null) Console.WriteLine($"{target}: ok, {newNote}");
        else if (problems.Count == 0) Console.WriteLine($"{target}: ok ({level} against {Versions(versions)} {where})");
        else
        {
            Console.WriteLine($"{target}: INCOMPATIBLE ({level} against {Versions(versions)} {where})");
            foreach (var p in problems) Console.WriteLine($"  - {p}");
        }
        return problems.Count == 0 ? 0 : 1;
    }

    private static string Versions(int n) => n == 1 ? "1 version" : $"{n} versions";

    private static int Summary(string verb, int count, int failures)
    {
        Console.WriteLine($"schemas {verb}: {count} checked, {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}
