namespace Otto.Schemas.Tests.Cli;

/// <summary>`otto schemas check --against <git-ref>` run as a process (the schema tool) on a temporary git repository.</summary>
public class SchemasCheckCliTests
{
    private const string Subjects = """{"compatibility": "BACKWARD", "subjects": {"T.avsc": ["t-value"], "Color.avsc": []}}""";
    private const string Color = """{"type": "enum", "name": "Color", "namespace": "t", "symbols": ["RED", "GREEN"]}""";

    private static string Record(string fields) => $$"""{"type": "record", "name": "T", "namespace": "t", "fields": [{{fields}}]}""";

    private static TempGitRepo RepoWith(string fields)
    {
        var repo = new TempGitRepo();
        repo.Write("subjects.json", Subjects);
        repo.Write("Color.avsc", Color);
        repo.Write("T.avsc", Record(fields));
        repo.Commit("v1");
        return repo;
    }

    [Fact]
    public void An_unchanged_directory_passes()
    {
        using var repo = RepoWith("""{"name": "id", "type": "string"}, {"name": "color", "type": "t.Color"}""");
        var result = ToolProcess.Run(repo.Schemas, stdin: "", "schemas", "check", "--schemas", ".");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("T.avsc: ok (BACKWARD against 1 version at HEAD)", result.Output);
        Assert.Contains("schemas check: 2 checked, 0 failed", result.Output);
    }

    [Fact]
    public void A_field_added_without_default_fails_backward_and_names_the_field()
    {
        using var repo = RepoWith("""{"name": "id", "type": "string"}""");
        repo.Write("T.avsc", Record("""{"name": "id", "type": "string"}, {"name": "amount", "type": "long"}"""));
        var result = ToolProcess.Run(repo.Root, stdin: "", "schemas", "check", "--schemas", "schemas", "--against", "main");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("T.avsc: INCOMPATIBLE (BACKWARD against 1 version at main)", result.Output);
        Assert.Contains("T.amount: reader field 'amount' has no default", result.Output);

        // The same change is fine with a default, and under NONE, and FORWARD (old readers ignore the new field).
        Assert.Equal(0, ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "main", "--compatibility", "NONE").ExitCode);
        Assert.Equal(0, ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "main", "--compatibility", "forward").ExitCode);
        repo.Write("T.avsc", Record("""{"name": "id", "type": "string"}, {"name": "amount", "type": "long", "default": 0}"""));
        Assert.Equal(0, ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "main", "--compatibility", "FULL").ExitCode);
    }

    [Fact]
    public void Removing_an_enum_symbol_fails_forward_in_the_enum_file_and_the_record_using_it()
    {
        using var repo = RepoWith("""{"name": "color", "type": "t.Color"}""");
        repo.Write("Color.avsc", """{"type": "enum", "name": "Color", "namespace": "t", "symbols": ["RED"]}""");
        var result = ToolProcess.Run(repo.Root, "", "schemas", "check", "--compatibility", "BACKWARD");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("writer's symbol 'GREEN' is not in the reader's enum t.Color", result.Output);
        Assert.Contains("Color.avsc: INCOMPATIBLE", result.Output);
        Assert.Contains("T.avsc: INCOMPATIBLE", result.Output);
        Assert.Contains("schemas check: 2 checked, 2 failed", result.Output);
    }

    [Fact]
    public void Transitive_levels_check_every_earlier_version_in_history()
    {
        // v1 has x:string; v2 drops it; v3 brings x back as an int with a default. v3 reads v2 data (no x: default)
        // but not v1 data (x is a string), so BACKWARD passes and BACKWARD_TRANSITIVE fails, naming v1's commit.
        using var repo = RepoWith("""{"name": "id", "type": "string"}, {"name": "x", "type": "string"}""");
        repo.Write("T.avsc", Record("""{"name": "id", "type": "string"}"""));
        repo.Commit("v2");
        repo.Write("T.avsc", Record("""{"name": "id", "type": "string"}, {"name": "x", "type": "int", "default": 0}"""));
        repo.Commit("v3");
        repo.Git("tag", "v3");
        repo.Write("T.avsc", Record("""{"name": "id", "type": "string"}, {"name": "x", "type": "int", "default": 0}, {"name": "y", "type": ["null", "int"], "default": null}"""));

        Assert.Equal(0, ToolProcess.Run(repo.Root, "", "schemas", "check", "--compatibility", "BACKWARD").ExitCode);
        var result = ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "v3", "--compatibility", "BACKWARD_TRANSITIVE");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("T.avsc: INCOMPATIBLE (BACKWARD_TRANSITIVE against 3 versions at v3)", result.Output);
        Assert.Contains("T.x: writer's string cannot be read as int", result.Output);
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("  - against", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_file_is_ok_and_an_unlisted_file_or_a_bad_ref_stops_the_check()
    {
        using var repo = RepoWith("""{"name": "id", "type": "string"}""");
        repo.Write("subjects.json", Subjects.Replace("\"Color.avsc\": []", "\"Color.avsc\": [], \"U.avsc\": []"));
        repo.Write("U.avsc", """{"type": "fixed", "name": "U", "size": 4}""");
        var result = ToolProcess.Run(repo.Root, "", "schemas", "check");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("U.avsc: ok, new (not in HEAD)", result.Output);

        repo.Write("V.avsc", """{"type": "fixed", "name": "V", "size": 4}""");
        var unlisted = ToolProcess.Run(repo.Root, "", "schemas", "check");
        Assert.Equal(2, unlisted.ExitCode);
        Assert.Contains("no entry for V.avsc", unlisted.Stderr);
        File.Delete(Path.Combine(repo.Schemas, "V.avsc"));

        var badRef = ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "no-such-branch");
        Assert.Equal(2, badRef.ExitCode);
        Assert.Contains("git rev-parse", badRef.Stderr);
    }

    [Fact]
    public void The_repository_schemas_pass_against_HEAD_and_every_file_is_mapped()
    {
        // At the level subjects.json declares (BACKWARD: consumers upgrade first). #6 added flag reasons and
        // reshaped the changelog-only PaymentState, which FULL would refuse.
        var result = ToolProcess.Run(RepoPaths.Schemas, "", "schemas", "check", "--schemas", ".");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Issue_11_a_field_without_default_in_PaymentAdded_names_the_field_and_exits_1()
    {
        // The scenario from issue #11: the verdict comes from the .avsc files, whatever the C# build would say.
        using var repo = new TempGitRepo();
        foreach (var file in Directory.GetFiles(RepoPaths.Schemas)) File.Copy(file, Path.Combine(repo.Schemas, Path.GetFileName(file)));
        repo.Commit("schemas as in the repository");
        var path = Path.Combine(repo.Schemas, "PaymentAdded.avsc");
        var original = File.ReadAllText(path);
        var edited = original.Replace("""{"name": "currency", "type": "string"},""", """{"name": "currency", "type": "string"}, {"name": "channel", "type": "string"},""");
        Assert.NotEqual(original, edited);
        File.WriteAllText(path, edited);

        var result = ToolProcess.Run(repo.Root, "", "schemas", "check", "--against", "HEAD");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("PaymentAdded.avsc: INCOMPATIBLE (BACKWARD against 1 version at HEAD)", result.Output);
        Assert.Contains("new schema cannot read old data: PaymentAdded.channel: reader field 'channel' has no default and the writer's Otto.Contracts.Cpr.PaymentAdded lacks it", result.Output);
        Assert.Matches(@"schemas check: \d+ checked, 1 failed", result.Output);
        Assert.Equal("", result.Stderr);
    }
}
