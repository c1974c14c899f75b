namespace Otto.Streams.Processors.Join;

/// <summary>Inner, left or outer join, and which side's records must exist for a result.</summary>
internal enum JoinKind { Inner, Left, Outer }

/// <summary>Which input of a join a node processes.</summary>
internal enum JoinSide { Left, Right }

internal static class JoinRules
{
    /// <summary>True when a result needs a value on <paramref name="side"/>: both sides for inner, the left side for left, neither for outer.</summary>
    public static bool Requires(this JoinKind kind, JoinSide side) =>
        kind == JoinKind.Inner || (kind == JoinKind.Left && side == JoinSide.Left);

    public static JoinSide Other(this JoinSide side) => side == JoinSide.Left ? JoinSide.Right : JoinSide.Left;
}
