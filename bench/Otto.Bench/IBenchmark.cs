namespace Otto.Bench;

/// <summary>One benchmark of `./otto bench`. Every public class implementing this is found by
/// <c>Program</c>, so adding a benchmark means adding one file. Each benchmark measures a baseline in the
/// same run and prints ratios: the machines are shared and noisy.</summary>
public interface IBenchmark
{
    /// <summary>The name used on the command line: <c>./otto bench NAME [args]</c>.</summary>
    string Name { get; }

    /// <summary>One line for the benchmark list.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark with its own arguments and prints its figures, ending with a
    /// <c>bench: …</c> line.</summary>
    Task RunAsync(string[] args, TextWriter output);
}
