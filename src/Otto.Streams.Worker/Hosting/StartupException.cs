namespace Otto.Streams.Worker.Hosting;

/// <summary>Why the worker cannot start, as one line for the user (what is wrong and which setting to change) and
/// the exit code of that kind of failure (<see cref="Cli.ExitCodes"/>). Never carries a stack trace to print.</summary>
public sealed class StartupException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
