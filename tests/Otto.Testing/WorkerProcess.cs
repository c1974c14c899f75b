using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Otto.Testing;

/// <summary>An `otto` process whose output is read as it comes, so a test can wait for a line while it runs and read
/// all of it after it exits. Only whole lines count: a line cut by a kill is not one. Its output goes to
/// <c>output</c> (a test's output) when disposed.</summary>
public sealed class WorkerProcess : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _reading;
    private readonly Action<string> _output;

    public WorkerProcess(ProcessStartInfo start, Action<string> output)
    {
        _output = output;
        _process = Process.Start(start)!;
        _reading = Task.WhenAll(Read(_process.StandardOutput, _stdout), Read(_process.StandardError, _stderr));
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far, every thread: on Linux utime + stime of /proc/PID/stat.</summary>
    public TimeSpan Cpu => _process.TotalProcessorTime;

    /// <summary>The whole lines written to stdout so far.</summary>
    public IReadOnlyList<string> OutputLines => WholeLines(_stdout);

    /// <summary>The whole lines written to stderr so far.</summary>
    public IReadOnlyList<string> ErrorLines => WholeLines(_stderr);

    /// <summary>The whole lines written so far, stdout's then stderr's.</summary>
    public IReadOnlyList<string> Lines => [.. OutputLines, .. ErrorLines];

    /// <summary><see cref="Lines"/>, one string.</summary>
    public string Log => string.Join('\n', Lines);

    /// <summary>Waits for the process to exit (killing it after <paramref name="timeout"/>) and its output to be read,
    /// and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"the process did not exit within {timeout}:\n{Log}");
        }
        await _reading.WaitAsync(ReadTimeout);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, what a container runtime sends to stop it (.NET's Process can only kill).</summary>
    public void Terminate()
    {
        if (kill(_process.Id, SigTerm) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Kills the process and waits for its output to be read.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _reading.Wait(ReadTimeout);
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _output($"exit code {_process.ExitCode}\nstdout:\n{_stdout}\nstderr:\n{_stderr}");
        _process.Dispose();
    }

    private static async Task Read(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
            lock (into) into.Append(buffer, 0, read);
    }

    private static string[] WholeLines(StringBuilder text)
    {
        string all;
        lock (text) all = text.ToString();
        var end = all.LastIndexOf('\n');
        return end < 0 ? [] : all[..end].Split('\n');
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
