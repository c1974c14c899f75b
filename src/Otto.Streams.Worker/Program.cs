using System.CommandLine;
using Otto.Streams.Worker.Cli;

// The `otto` program: every verb of the entry script except test and bench.
var root = new RootCommand("Otto.Streams: payments-integrity stream processor")
{
    DemoCommand.Create(),
    DevClusterCommand.Create(),
    RunCommand.Create(),
    SimulateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
