using System.Runtime.InteropServices;

namespace Otto.Streams.Worker.Cli;

/// <summary>A cancellation token fired by SIGINT (Ctrl-C) or SIGTERM, so long-running verbs stop cleanly
/// instead of being killed.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Listens for the signals; also fires when <paramref name="linked"/> is cancelled.</summary>
    public ShutdownSignal(CancellationToken linked = default)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    /// <summary>Cancelled on the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // we shut down ourselves, in order
        _cts.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
