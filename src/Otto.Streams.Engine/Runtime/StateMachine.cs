using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// A state with an explicit table of allowed transitions, shared by the stream, its threads and its tasks.
/// An illegal transition is a bug in the engine, so it throws instead of being ignored.
/// </summary>
public sealed class StateMachine<TState> where TState : struct, Enum
{
    private readonly IReadOnlyDictionary<TState, TState[]> _allowed;
    private readonly string _owner;
    private readonly Lock _lock = new();

    /// <summary>Creates the machine in <paramref name="initial"/>.</summary>
    public StateMachine(string owner, TState initial, IReadOnlyDictionary<TState, TState[]> allowed)
    {
        _owner = owner;
        _allowed = allowed;
        Current = initial;
    }

    /// <summary>The current state.</summary>
    public TState Current { get; private set; }

    /// <summary>Raised after each transition with (old, new), outside the machine's lock.</summary>
    public event Action<TState, TState>? Changed;

    /// <summary>Moves to <paramref name="next"/>; throws when the table does not allow it.</summary>
    public void TransitTo(TState next)
    {
        if (!TryTransitTo(next))
            throw new StreamsException($"{_owner}: illegal state transition {Current} -> {next}");
    }

    /// <summary>Moves to <paramref name="next"/> when allowed; returns false (and stays) otherwise.</summary>
    public bool TryTransitTo(TState next)
    {
        TState old;
        lock (_lock)
        {
            old = Current;
            if (!_allowed.TryGetValue(old, out var targets) || !targets.Contains(next)) return false;
            Current = next;
        }
        Changed?.Invoke(old, next);
        return true;
    }
}
