namespace Otto.Streams.Avro.Registry;

/// <summary>Schema evolution rules a subject enforces, as in Confluent Schema Registry.</summary>
public enum CompatibilityLevel
{
    /// <summary>No checks.</summary>
    None,
    /// <summary>The new schema can read data written with the latest one (the default).</summary>
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

    /// <summary>True for the _TRANSITIVE levels, which check against every earlier version, not only the latest.</summary>
    public static bool IsTransitive(this CompatibilityLevel level) =>
        level is CompatibilityLevel.BackwardTransitive or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.FullTransitive;

    /// <summary>Parses a REST name.</summary>
    /// <exception cref="SchemaRegistryException">Unknown name (error 42203).</exception>
    public static CompatibilityLevel Parse(string wireName)
    {
        foreach (var level in Enum.GetValues<CompatibilityLevel>())
        {
            if (level.ToWireName() == wireName) return level;
        }
        throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidCompatibilityLevel, 422, $"invalid compatibility level '{wireName}'");
    }
}
