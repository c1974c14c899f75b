using System.Text.Json.Nodes;
using Otto.Schemas.Compatibility;

namespace Otto.Schemas.Tests.Cli;

/// <summary>`otto schemas register` and `check --registry` run as processes against the dev registry.</summary>
public class SchemasRegistryCliTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private string Url => registry.Url;

    [Fact]
    public void Register_dry_run_then_register_then_unchanged_then_a_rejected_change()
    {
        using var repo = new TempGitRepo();
        foreach (var file in Directory.GetFiles(RepoPaths.Schemas)) File.Copy(file, Path.Combine(repo.Schemas, Path.GetFileName(file)));
        const string env = "cli1";
        var store = registry.Server.Registry;

        var dry = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: would register (new subject)", dry.Output);
        Assert.DoesNotContain(store.GetSubjects(), s => s.Contains(env));

        var first = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(first.ExitCode == 0, first.ToString());
        // Every subject the checked-in map names is registered; those of the environment's topics and nothing else.
        var map = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Schemas, "subjects.json")))!["subjects"]!.AsObject();
        var mapped = map.SelectMany(file => file.Value!.AsArray().Select(s => s!.GetValue<string>())).ToList();
        Assert.Contains($"schemas register: {mapped.Count} checked, 0 failed", first.Output);
        var expected = mapped.Where(s => s.StartsWith("pc.{env}.", StringComparison.Ordinal)).Select(s => s.Replace("{env}", env)).Distinct();
        Assert.Equal(expected.Order(), store.GetSubjects().Where(s => s.Contains($".{env}.")).Order());
        // The registered schema is the file's, other files' types inlined.
        var paymentAdded = SchemaFiles.Load(RepoPaths.Schemas).Single(f => f.FileName == "PaymentAdded.avsc").Schema.ToString();
        Assert.Equal(1, store.Lookup($"pc.{env}.pmt.fct.cpr.PaymentAdded-value", paymentAdded).Version);

        var again = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: unchanged (id", again.Output);

        // A field without a default breaks BACKWARD: check names it, register is rejected, nothing changes.
        var added = File.ReadAllText(Path.Combine(repo.Schemas, "PaymentAdded.avsc"))
            .Replace("""{"name": "currency", "type": "string"},""", """{"name": "currency", "type": "string"}, {"name": "channel", "type": "string"},""");
        File.WriteAllText(Path.Combine(repo.Schemas, "PaymentAdded.avsc"), added);
        var check = ToolProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url, "--env", env);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: INCOMPATIBLE (BACKWARD against 1 version in the registry)", check.Output);
        Assert.Contains("  - against v1: new schema cannot read old data: PaymentAdded.channel: reader field 'channel' has no default", check.Output);
        var dryRejected = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env, "--dry-run");
        Assert.True(dryRejected.ExitCode == 1, dryRejected.ToString());
        Assert.Contains("would be REJECTED (BACKWARD)", dryRejected.Output);
        var rejected = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(rejected.ExitCode == 1, rejected.ToString());
        Assert.Contains("REJECTED", rejected.Output);
        Assert.Single(store.GetVersions($"pc.{env}.pmt.fct.cpr.PaymentAdded-value"));

        // An overriding level is judged here, on the versions read from the registry.
        var forward = ToolProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url, "--env", env, "--compatibility", "FORWARD");
        Assert.True(forward.ExitCode == 0, forward.ToString());

        // The subjects' own level is what counts: NONE lets it through (PaymentAdded also travels the duplicate
        // detector's repartition topic, a second subject).
        foreach (var subject in map["PaymentAdded.avsc"]!.AsArray().Select(s => s!.GetValue<string>().Replace("{env}", env).Replace("{applicationId}", "otto")))
            store.SetCompatibility(CompatibilityLevel.None, subject);
        Assert.Equal(0, ToolProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url, "--env", env).ExitCode);
        var registered = ToolProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Equal(2, store.GetVersions($"pc.{env}.pmt.fct.cpr.PaymentAdded-value").Count);
    }

    [Fact]
    public void Transitive_subject_levels_are_checked_against_every_version_by_the_registry()
    {
        const string subject = "cli-transitive-value";
        var store = registry.Server.Registry;
        store.SetCompatibility(CompatibilityLevel.None, subject);
        store.Register(subject, """{"type": "record", "name": "T", "namespace": "t", "fields": [{"name": "id", "type": "string"}, {"name": "x", "type": "string"}]}""");
        store.Register(subject, """{"type": "record", "name": "T", "namespace": "t", "fields": [{"name": "id", "type": "string"}]}""");
        store.SetCompatibility(CompatibilityLevel.BackwardTransitive, subject);
        using var repo = new TempGitRepo();
        repo.Write("subjects.json", "{\"subjects\": {\"T.avsc\": [\"" + subject + "\"]}}");
        repo.Write("T.avsc", """{"type": "record", "name": "T", "namespace": "t", "fields": [{"name": "id", "type": "string"}, {"name": "x", "type": "int", "default": 0}]}""");

        var result = ToolProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"T.avsc -> {subject}: INCOMPATIBLE (BACKWARD_TRANSITIVE against 2 versions in the registry)", result.Output);
        Assert.Contains("  - against v1: new schema cannot read old data: T.x: writer's string cannot be read as int", result.Output);
    }

    [Fact]
    public void An_unreachable_registry_is_a_clear_error()
    {
        var result = ToolProcess.Run(RepoPaths.Schemas, "", "schemas", "check", "--schemas", ".", "--registry", "http://127.0.0.1:1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("otto: error: schema registry unreachable", result.Stderr);
    }
}
