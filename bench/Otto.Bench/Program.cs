using Otto.Bench;
using Otto.Streams.KafkaNative;

// Confluent.Kafka must bind to the shipped librdkafka before the first client is built (see LibrdkafkaLoader).
LibrdkafkaLoader.EnsureLoaded();

// Usage: Otto.Bench [NAME [args]] — with no name, the list; `all` runs each benchmark with its defaults.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: ./otto bench NAME [args] | all");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-16} {b.Description}");
    return 0;
}

if (args[0] == "all")
{
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"== {b.Name}");
        await b.RunAsync([], Console.Out);
    }
    return 0;
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"unknown benchmark '{args[0]}'; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}
await chosen.RunAsync(args[1..], Console.Out);
return 0;
