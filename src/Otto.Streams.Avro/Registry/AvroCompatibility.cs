using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Registry;

/// <summary>
/// Schema compatibility judged by the same resolution rules the readers apply: a reader schema is compatible
/// with a writer schema when every datum the writer can produce resolves.
/// </summary>
public static class AvroCompatibility
{
    /// <summary>Why <paramref name="reader"/> cannot read all data written with <paramref name="writer"/>;
    /// empty when it can.</summary>
    public static IReadOnlyList<string> CanRead(AvroSchema reader, AvroSchema writer) =>
        new GenericDatumReader(writer, reader).ResolutionProblems;

    /// <summary>
    /// Why <paramref name="candidate"/> may not follow <paramref name="existing"/> (oldest first) under
    /// <paramref name="level"/>; empty when it may.
    /// </summary>
    public static IReadOnlyList<string> Check(CompatibilityLevel level, AvroSchema candidate, IReadOnlyList<AvroSchema> existing)
    {
        if (level == CompatibilityLevel.None || existing.Count == 0) return [];
        var against = level.IsTransitive() ? existing : [existing[^1]];
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var problems = new List<string>();
        foreach (var old in against)
        {
            if (backward) problems.AddRange(CanRead(candidate, old).Select(p => $"new schema cannot read old data: {p}"));
            if (forward) problems.AddRange(CanRead(old, candidate).Select(p => $"old schema cannot read new data: {p}"));
        }
        return problems;
    }
}
