using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Avro.Tests.Cli;

/// <summary>`otto schemas register` and `check --registry` run as processes against the dev registry.</summary>
public class SchemasRegistryCliTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private string Url => registry.Server.Url.ToString();

    [Fact]
    public void Register_dry_run_then_register_then_unchanged_then_a_rejected_change()
    {
        using var repo = new TempGitRepo();
        foreach (var file in Directory.GetFiles(OttoProcess.RepoSchemas)) File.Copy(file, Path.Combine(repo.Schemas, Path.GetFileName(file)));
        const string env = "cli1";

        var dry = OttoProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: would register (new subject)", dry.Output);
        Assert.DoesNotContain(registry.Server.Registry.GetSubjects(), s => s.Contains(env));

        var first = OttoProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(first.ExitCode == 0, first.ToString());
        // Every subject the checked-in map names is registered; those of the environment's topics and nothing else.
        var map = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(OttoProcess.RepoSchemas, "subjects.json")))!["subjects"]!.AsObject();
        var mapped = map.SelectMany(file => file.Value!.AsArray().Select(s => s!.GetValue<string>())).ToList();
        Assert.Contains($"schemas register: {mapped.Count} checked, 0 failed", first.Output);
        var expected = mapped.Where(s => s.StartsWith("pc.{env}.", StringComparison.Ordinal)).Select(s => s.Replace("{env}", env)).Distinct();
        var subjects = registry.Server.Registry.GetSubjects().Where(s => s.Contains($".{env}.")).ToList();
        Assert.Equal(expected.Order(), subjects.Order());
        // The registered schema is what the generated type's serde looks up.
        Assert.Equal(1, registry.Server.Registry.Lookup($"pc.{env}.pmt.fct.cpr.PaymentAdded-value", Otto.Contracts.Cpr.PaymentAdded.Schema.ToJson()).Version);

        var again = OttoProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: unchanged (id", again.Output);

        // A field without a default breaks BACKWARD: check names it, register is rejected, nothing changes.
        var added = File.ReadAllText(Path.Combine(repo.Schemas, "PaymentAdded.avsc"))
            .Replace("""{"name": "currency", "type": "string"},""", """{"name": "currency", "type": "string"}, {"name": "channel", "type": "string"},""");
        File.WriteAllText(Path.Combine(repo.Schemas, "PaymentAdded.avsc"), added);
        var check = OttoProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url, "--env", env);
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains($"PaymentAdded.avsc -> pc.{env}.pmt.fct.cpr.PaymentAdded-value: INCOMPATIBLE (BACKWARD against 1 version in the registry)", check.Output);
        Assert.Contains("PaymentAdded.channel: reader field 'channel' has no default", check.Output);
        var rejected = OttoProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(rejected.ExitCode == 1, rejected.ToString());
        Assert.Contains("REJECTED", rejected.Output);
        Assert.Single(registry.Server.Registry.GetVersions($"pc.{env}.pmt.fct.cpr.PaymentAdded-value"));

        // The subjects' own level is what counts: NONE lets it through (PaymentAdded also travels the duplicate
        // detector's repartition topic, a second subject).
        foreach (var subject in map["PaymentAdded.avsc"]!.AsArray().Select(s => s!.GetValue<string>().Replace("{env}", env).Replace("{applicationId}", "otto")))
            registry.Server.Registry.SetCompatibility(CompatibilityLevel.None, subject);
        Assert.Equal(0, OttoProcess.Run(repo.Root, "", "schemas", "check", "--registry", Url, "--env", env).ExitCode);
        var registered = OttoProcess.Run(repo.Root, "", "schemas", "register", "--registry", Url, "--env", env);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Equal(2, registry.Server.Registry.GetVersions($"pc.{env}.pmt.fct.cpr.PaymentAdded-value").Count);
    }

    [Fact]
    public void An_unreachable_registry_is_a_clear_error()
    {
        var result = OttoProcess.Run(OttoProcess.RepoSchemas, "", "schemas", "check", "--schemas", ".", "--registry", "http://127.0.0.1:1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("otto: error: schema registry error -1", result.Stderr);
    }
}
