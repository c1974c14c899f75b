using System.CommandLine;
using Otto.Schemas.Cli;

// The schema tool: `otto schemas ...` and `otto avro ...` (the entry script routes those verbs here).
var root = new RootCommand("Otto schema tool: check and register schemas/, convert Avro data")
{
    SchemasCommand.Create(),
    AvroCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
