using Avro;

namespace Otto.Schemas.Compatibility;

/// <summary>Schema evolution rules a subject enforces, with Confluent Schema Registry's names and meaning.</summary>
public enum CompatibilityLevel
{
    /// <summary>No checks.</summary>
    None,
    /// <summary>The new schema can read data written with the latest one (the registry's default).</summary>
    Backward,
    /// <summary>The new schema can read data written with every earlier one.</summary>
    BackwardTransitive,
    /// <summary>The latest schema can read data written with the new one.</summary>
    Forward,
    /// <summary>Every earlier schema can read data written with the new one.</summary>
    ForwardTransitive,
    /// <summary>Backward and forward against the latest.</summary>
    Full,
    /// <summary>Backward and forward against every earlier schema.</summary>
    FullTransitive,
}

/// <summary>Converts <see cref="CompatibilityLevel"/> to and from the REST API's names ("BACKWARD", "FULL_TRANSITIVE").</summary>
public static class CompatibilityLevels
{
    /// <summary>The REST name.</summary>
    public static string ToWireName(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => level.ToString().ToUpperInvariant(),
    };

    /// <summary>True for the _TRANSITIVE levels, which check every earlier version, not only the latest.</summary>
    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;

    /// <summary>True when the new schema must read old data (BACKWARD, FULL and their transitive forms).</summary>
    public static bool ChecksBackward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>True when old schemas must read new data (FORWARD, FULL and their transitive forms).</summary>
    public static bool ChecksForward(this CompatibilityLevel level) =>
        level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;

    /// <summary>Parses a REST name, case-insensitively.</summary>
    /// <returns>False for an unknown name.</returns>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        foreach (var candidate in Enum.GetValues<CompatibilityLevel>())
        {
            if (string.Equals(candidate.ToWireName(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                return true;
            }
        }
        level = default;
        return false;
    }

    /// <summary>Parses a REST name, case-insensitively.</summary>
    /// <exception cref="AvroException">Unknown name.</exception>
    public static CompatibilityLevel Parse(string name) => TryParse(name, out var level)
        ? level
        : throw new AvroException($"invalid compatibility level '{name}' (NONE, BACKWARD, FORWARD, FULL, or one of them with _TRANSITIVE)");
}
