using System.Diagnostics;

namespace Otto.IntegrationTests;

/// <summary>`otto describe` as CI and developers run it: --check fails on a missing or edited file and changes
/// nothing; without it the directory is brought up to date and the changes are listed.</summary>
public class DescribeCommandTests
{
    [Fact]
    public void Check_exits_1_naming_each_differing_file_and_describe_fixes_them()
    {
        var docs = Directory.CreateTempSubdirectory("otto-describe-").FullName;
        try
        {
            var (exit, output) = Describe(docs, "--check");
            Assert.True(exit == 1, output);
            Assert.Contains($"{Path.Combine(docs, "topic-catalog.md")}: missing", output);
            Assert.Empty(Directory.GetFiles(docs));

            (exit, output) = Describe(docs);
            Assert.True(exit == 0, output);
            Assert.Contains($"{Path.Combine(docs, "payments-topology.md")}: created", output);
            Assert.Equal(0, Describe(docs, "--check").Exit);

            File.AppendAllText(Path.Combine(docs, "rule-catalog.md"), "edited by hand\n");
            File.WriteAllText(Path.Combine(docs, "old.md"), "no longer generated\n");
            (exit, output) = Describe(docs, "--check");
            Assert.True(exit == 1, output);
            Assert.Contains($"{Path.Combine(docs, "rule-catalog.md")}: out of date", output);
            Assert.Contains($"{Path.Combine(docs, "old.md")}: not generated any more", output);
            Assert.Contains("run ./otto describe", output);

            (exit, output) = Describe(docs);
            Assert.True(exit == 0, output);
            Assert.Contains("describe: 2 changed, 4 unchanged", output);
            Assert.False(File.Exists(Path.Combine(docs, "old.md")));
        }
        finally
        {
            Directory.Delete(docs, recursive: true);
        }
    }

    private static (int Exit, string Output) Describe(string docs, params string[] args)
    {
        using var process = Process.Start(OttoCommand.StartInfo(new[] { "describe", "--out", docs }.Concat(args)))!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
