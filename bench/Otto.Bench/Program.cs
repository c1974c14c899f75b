using Otto.Bench;

// Usage: Otto.Bench [records] — default 100,000 (sized under the mock cluster's per-partition retention).
var records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
await PipeVersusTopology.RunAsync(records, Console.Out);
