using System.CommandLine;
using Otto.Streams.Avro;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Worker.Cli;

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
        var against = new Option<string>("--against") { Description = "Check against this git revision's schemas and their history (default HEAD)" };
        var registry = new Option<string>("--registry") { Description = "Schema Registry URL (credentials: Otto__SchemaRegistry__BasicAuthUserInfo or __BearerToken)" };
        var level = new Option<string>("--compatibility") { Description = "Override the level: NONE, BACKWARD, FORWARD, FULL, *_TRANSITIVE (default: subjects.json for git, the registry's for --registry)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be registered, change nothing" };

        var check = new Command("check", "Check each schema against its earlier versions (git history or the registry); non-zero exit on any incompatibility")
        {
            schemasDir, env, applicationId, against, registry, level,
        };
        check.SetAction((parse, ct) => AvroTool.Run(async () =>
        {
            if (parse.GetValue(against) is not null && parse.GetValue(registry) is not null)
                throw new AvroException("--against and --registry exclude each other");
            var context = Load(parse.GetValue(schemasDir)!, parse.GetValue(env)!, parse.GetValue(applicationId)!, parse.GetValue(level));
            return parse.GetValue(registry) is { } url
                ? await CheckRegistryAsync(context, url, ct)
                : CheckGit(context, parse.GetValue(against) ?? "HEAD");
        }));

        var register = new Command("register", "Register new or changed schemas under their subjects (schemas/subjects.json)")
        {
            schemasDir, env, applicationId, registry, dryRun,
        };
        register.Validators.Add(r =>
        {
            if (r.GetValue(registry) is null) r.AddError("--registry is required");
        });
        register.SetAction((parse, ct) => AvroTool.Run(async () =>
        {
            var context = Load(parse.GetValue(schemasDir)!, parse.GetValue(env)!, parse.GetValue(applicationId)!, null);
            return await RegisterAsync(context, parse.GetValue(registry)!, parse.GetValue(dryRun), ct);
        }));

        return new Command("schemas", "Check and register the schemas in schemas/ (platform team)") { check, register };
    }

    private sealed record Context(string Dir, IReadOnlyList<SchemaFile> Files, SchemasSubjectMap Subjects, CompatibilityLevel? Level);

    private static Context Load(string dir, string env, string applicationId, string? level) => new(
        dir, SchemaDirectory.Load(dir), SchemasSubjectMap.Load(dir, env, applicationId), level is null ? null : CompatibilityLevels.Parse(level.ToUpperInvariant()));

    private static int CheckGit(Context context, string gitRef)
    {
        var level = context.Level ?? context.Subjects.Compatibility;
        var history = new SchemasGit(context.Dir).History(gitRef, allCommits: level.IsTransitive());
        var failures = 0;
        foreach (var file in context.Files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            var versions = history.GetValueOrDefault(file.FileName) ?? [];
            failures += Report(file.FileName, level, versions.Count == 0 ? $"new (not in {gitRef})" : null,
                SchemasRegistryHistory.Problems(level, file.Schema, versions), versions.Count, $"at {gitRef}");
        }
        return Summary("check", context.Files.Count, failures);
    }

    private static async Task<int> CheckRegistryAsync(Context context, string url, CancellationToken ct)
    {
        var registry = AvroTool.Connect(url);
        var failures = 0;
        var checkedCount = 0;
        foreach (var file in context.Files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            foreach (var subject in context.Subjects.SubjectsByFile[file.FileName])
            {
                checkedCount++;
                var (level, versions) = await SchemasRegistryHistory.ReadAsync(registry, subject, context.Level, ct);
                failures += Report($"{file.FileName} -> {subject}", level, versions.Count == 0 ? "new subject" : null,
                    SchemasRegistryHistory.Problems(level, file.Schema, versions), versions.Count, "in the registry");
            }
        }
        return Summary("check", checkedCount, failures);
    }

    private static async Task<int> RegisterAsync(Context context, string url, bool dryRun, CancellationToken ct)
    {
        var registry = AvroTool.Connect(url);
        var failures = 0;
        var count = 0;
        foreach (var file in context.Files.OrderBy(f => f.FileName, StringComparer.Ordinal))
        {
            var json = file.Schema.ToJson();
            foreach (var subject in context.Subjects.SubjectsByFile[file.FileName])
            {
                count++;
                var target = $"{file.FileName} -> {subject}";
                try
                {
                    var existing = await registry.LookupAsync(subject, json, ct);
                    Console.WriteLine($"{target}: unchanged (id {existing.Id}, version {existing.Version})");
                    continue;
                }
                catch (SchemaRegistryException e) when (e.ErrorCode is SchemaRegistryErrorCodes.SubjectNotFound or SchemaRegistryErrorCodes.SchemaNotFound)
                {
                    // New subject or a changed schema: register below.
                }
                if (dryRun)
                {
                    var (level, versions) = await SchemasRegistryHistory.ReadAsync(registry, subject, null, ct);
                    var problems = SchemasRegistryHistory.Problems(level, file.Schema, versions);
                    Console.WriteLine(problems.Count == 0
                        ? $"{target}: would register ({(versions.Count == 0 ? "new subject" : $"{level.ToWireName()} compatible")})"
                        : $"{target}: would be REJECTED ({level.ToWireName()})");
                    foreach (var p in problems) Console.WriteLine($"  - {p}");
                    failures += problems.Count == 0 ? 0 : 1;
                    continue;
                }
                try
                {
                    var id = await registry.RegisterAsync(subject, json, ct);
                    Console.WriteLine($"{target}: registered (id {id})");
                }
                catch (SchemaRegistryException e) when (e.ErrorCode == SchemaRegistryErrorCodes.IncompatibleSchema)
                {
                    Console.WriteLine($"{target}: REJECTED: {e.Message}");
                    failures++;
                }
            }
        }
        return Summary(dryRun ? "register (dry run)" : "register", count, failures);
    }

    private static int Report(string target, CompatibilityLevel level, string? newNote, IReadOnlyList<string> problems, int versions, string where)
    {
        if (newNote is not null) Console.WriteLine($"{target}: ok, {newNote}");
        else if (problems.Count == 0) Console.WriteLine($"{target}: ok ({level.ToWireName()} against {Versions(versions)} {where})");
        else
        {
            Console.WriteLine($"{target}: INCOMPATIBLE ({level.ToWireName()} against {Versions(versions)} {where})");
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
