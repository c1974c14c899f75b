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
        Assert.Contains("schemas register: 8 checked, 0 failed", first.Output);
        var subjects = registry.Server.Registry.GetSubjects().Where(s => s.Contains($".{env}.")).ToList();
        Assert.Equal(
            new[] { "GetTrnRq", "GetTrnRs", "GetTrnRsByPayment", "PaymentAdded", "PaymentFlagged", "PaymentStatusChanged" }
                .Select(n => $"pc.{env}.pmt.{(n.StartsWith("Payment", StringComparison.Ordinal) && n != "PaymentFlagged" ? "fct.cpr" : n == "PaymentFlagged" ? "fct.otto" : "cmd.otto")}.{n}-value").Order(),
            subjects.Order());
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

        // The subject's own level is what counts: NONE lets it through.
        registry.Server.Registry.SetCompatibility(CompatibilityLevel.None, $"pc.{env}.pmt.fct.cpr.PaymentAdded-value");
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
