using System.CommandLine;
using Otto.Payments;
using Otto.Payments.Docs;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto describe [--out DIR] [--check]`: writes topology-docs/ (topology description, Mermaid diagram,
/// topic and rule catalogs) from the code, for the default settings (environment qa, application id otto), or with
/// --check only says which files differ and exits 1 (for CI).</summary>
public static class DescribeCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "The docs directory", DefaultValueFactory = _ => "topology-docs" };
        var check = new Option<bool>("--check") { Description = "Change nothing; exit 1 when a file differs from what the code generates" };
        var command = new Command("describe", "Generate topology-docs/ from the code: topology description and diagram, topic and rule catalogs")
        {
            output, check,
        };
        command.SetAction(parse => Run(parse.GetValue(output)!, parse.GetValue(check)));
        return command;
    }

    /// <summary>Generates into (or, with <paramref name="check"/>, compares with) <paramref name="directory"/>; 1 when
    /// checking found a difference.</summary>
    public static int Run(string directory, bool check)
    {
        var files = TopologyDocs.Generate(new PaymentsOptions());
        var changes = DocsDirectory.Sync(directory, files, write: !check);
        foreach (var change in changes)
        {
            var path = Path.Combine(directory, change.File);
            Console.WriteLine(check
                ? $"{path}: {change.Kind switch { DocsChangeKind.Created => "missing", DocsChangeKind.Updated => "out of date", _ => "not generated any more" }}"
                : $"{path}: {change.Kind.ToString().ToLowerInvariant()}");
        }
        var unchanged = files.Count - changes.Count(c => c.Kind != DocsChangeKind.Removed);
        if (!check)
        {
            Console.WriteLine($"describe: {changes.Count} changed, {unchanged} unchanged in {directory}");
            return 0;
        }
        if (changes.Count == 0)
        {
            Console.WriteLine($"describe: {directory} matches the code ({files.Count} files)");
            return 0;
        }
        Console.WriteLine($"describe: {changes.Count} file(s) in {directory} differ from the code; run {TopologyDocs.Command} and commit the result");
        return 1;
    }
}
