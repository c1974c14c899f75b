using Avro;

namespace Otto.Schemas.Compatibility;

/// <summary>
/// Compatibility between schema versions with Confluent Schema Registry's levels, judged by Apache.Avro's own
/// schema resolution (<see cref="Schema.CanRead"/>) and explained by walking the reader and writer schemas side
/// by side. <see cref="Schema.CanRead"/> accepts any union writer and defers enum symbols to read time (a writer
/// that never uses a removed symbol still reads), where the registry refuses the schema, so the walk's findings
/// count too: a pair is compatible when Apache.Avro can read it and the walk finds nothing.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>Why <paramref name="candidate"/> may not follow <paramref name="history"/> (oldest first) under
    /// <paramref name="level"/>: against the latest version, or every one for the _TRANSITIVE levels. Each reason
    /// says which direction fails ("new schema cannot read old data: ...") and names the field.</summary>
    public static IReadOnlyList<string> Check(CompatibilityLevel level, Schema candidate, IReadOnlyList<Schema> history) =>
        Check(level, candidate, history.Select((s, i) => ($"v{i + 1}", s)).ToList())
            .Select(p => p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..]).ToList();

    /// <summary>As <see cref="Check(CompatibilityLevel, Schema, IReadOnlyList{Schema})"/> with labelled versions;
    /// each reason starts "against {label}: ".</summary>
    public static IReadOnlyList<string> Check(CompatibilityLevel level, Schema candidate, IReadOnlyList<(string Label, Schema Schema)> history)
    {
        if (level == CompatibilityLevel.None) return [];
        var against = level.IsTransitive() ? history : history.TakeLast(1);
        var problems = new List<string>();
        foreach (var (label, old) in against)
        {
            if (level.ChecksBackward())
                problems.AddRange(ReadProblems(candidate, old).Select(p => $"against {label}: new schema cannot read old data: {p}"));
            if (level.ChecksForward())
                problems.AddRange(ReadProblems(old, candidate).Select(p => $"against {label}: old schema cannot read new data: {p}"));
        }
        return problems;
    }

    /// <summary>True when data written with <paramref name="writer"/> can be read with <paramref name="reader"/>.</summary>
    public static bool CanRead(Schema reader, Schema writer) => ReadProblems(reader, writer).Count == 0;

    /// <summary>Why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>, one reason per
    /// problem ("PaymentAdded.channel: reader field 'channel' has no default ..."); empty when it can.</summary>
    public static IReadOnlyList<string> ReadProblems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        new Walk(problems).Compare(reader, writer, NameOf(reader));
        if (problems.Count == 0 && !reader.CanRead(writer))
            problems.Add($"{NameOf(reader)}: Apache.Avro's schema resolution cannot read the writer's {Describe(writer)} as {Describe(reader)}");
        return problems;
    }

    private static string NameOf(Schema schema) => schema switch
    {
        NamedSchema named => named.Name,
        LogicalSchema logical => NameOf(logical.BaseSchema),
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };

    /// <summary>A schema in a few words: "int", "long (timestamp-millis)", "Otto.Contracts.PaymentRail", "array".</summary>
    internal static string Describe(Schema schema) => schema switch
    {
        LogicalSchema logical => $"{Describe(logical.BaseSchema)} ({logical.LogicalTypeName})",
        NamedSchema named => $"{(schema.Tag == Schema.Type.Enumeration ? "enum" : schema.Tag.ToString().ToLowerInvariant())} {named.Fullname}",
        UnionSchema union => $"union [{string.Join(", ", union.Schemas.Select(Describe))}]",
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };

    private sealed class Walk(List<string> problems)
    {
        // Record pairs being compared: recursive types end here instead of looping.
        private readonly HashSet<(Schema, Schema)> _visiting = new(ReferencePairComparer.Instance);

        public void Compare(Schema reader, Schema writer, string path)
        {
            if (writer is UnionSchema writerUnion)
            {
                // Every branch the writer may have used must be readable.
                if (reader is UnionSchema readerUnion)
                {
                    foreach (var branch in writerUnion.Schemas)
                        if (!readerUnion.Schemas.Any(r => Quiet(r, branch)))
                            problems.Add($"{path}: the writer's union branch {Describe(branch)} is not among the reader's branches [{string.Join(", ", readerUnion.Schemas.Select(Describe))}]");
                    return;
                }
                foreach (var branch in writerUnion.Schemas) Compare(reader, branch, path);
                return;
            }
            if (reader is UnionSchema union)
            {
                if (union.Schemas.Any(r => Quiet(r, writer))) return;
                // One branch of the same kind: its own problems say more than "no branch matches".
                var sameKind = union.Schemas.Where(r => r.Tag == writer.Tag && (r is not NamedSchema n || writer is not NamedSchema w || n.Fullname == w.Fullname)).ToList();
                if (sameKind.Count == 1) Compare(sameKind[0], writer, path);
                else problems.Add($"{path}: the writer's {Describe(writer)} is not among the reader's union branches [{string.Join(", ", union.Schemas.Select(Describe))}]");
                return;
            }
            if (reader is LogicalSchema || writer is LogicalSchema)
            {
                if (reader is LogicalSchema r && writer is LogicalSchema w) Compare(r.BaseSchema, w.BaseSchema, path);
                else problems.Add($"{path}: the writer's {Describe(writer)} cannot be read as {Describe(reader)} (Apache.Avro resolves a logical type only from a logical type)");
                return;
            }
            if (reader.Tag != writer.Tag && !Promotes(writer.Tag, reader.Tag))
            {
                problems.Add($"{path}: writer's {Describe(writer)} cannot be read as {Describe(reader)}");
                return;
            }
            switch (reader)
            {
                case RecordSchema record:
                    CompareRecords(record, (RecordSchema)writer, path);
                    break;
                case EnumSchema readerEnum:
                    var writerEnum = (EnumSchema)writer;
                    if (!SameName(readerEnum, writerEnum, path)) return;
                    if (readerEnum.Default is not null) return;
                    foreach (var symbol in writerEnum.Symbols.Where(s => !readerEnum.Symbols.Contains(s)))
                        problems.Add($"{path}: writer's symbol '{symbol}' is not in the reader's enum {readerEnum.Fullname}, which has no default");
                    break;
                case FixedSchema readerFixed:
                    var writerFixed = (FixedSchema)writer;
                    if (!SameName(readerFixed, writerFixed, path)) return;
                    if (readerFixed.Size != writerFixed.Size)
                        problems.Add($"{path}: fixed {readerFixed.Fullname} has size {readerFixed.Size}, the writer's {writerFixed.Size}");
                    break;
                case ArraySchema array:
                    Compare(array.ItemSchema, ((ArraySchema)writer).ItemSchema, path + "[]");
                    break;
                case MapSchema map:
                    Compare(map.ValueSchema, ((MapSchema)writer).ValueSchema, path + "{}");
                    break;
            }
        }

        private void CompareRecords(RecordSchema reader, RecordSchema writer, string path)
        {
            if (!SameName(reader, writer, path) || !_visiting.Add((reader, writer))) return;
            foreach (var field in reader.Fields)
            {
                var fieldPath = $"{path}.{field.Name}";
                var written = writer.Fields.FirstOrDefault(f => f.Name == field.Name)
                    ?? field.Aliases?.Select(a => writer.Fields.FirstOrDefault(f => f.Name == a)).FirstOrDefault(f => f is not null);
                if (written is not null) Compare(field.Schema, written.Schema, fieldPath);
                else if (field.DefaultValue is null)
                    problems.Add($"{fieldPath}: reader field '{field.Name}' has no default and the writer's {writer.Fullname} lacks it");
            }
            _visiting.Remove((reader, writer));
        }

        private bool SameName(NamedSchema reader, NamedSchema writer, string path)
        {
            if (reader.Fullname == writer.Fullname || AliasesOf(reader).Contains(writer.Fullname)) return true;
            problems.Add($"{path}: the writer's {Describe(writer)} is read as {reader.Fullname}, which has no alias '{writer.Fullname}' (a named type renamed without an alias)");
            return false;
        }

        // Apache.Avro keeps a named type's aliases private; its JSON has them, with full names.
        private static IEnumerable<string> AliasesOf(NamedSchema schema)
        {
            using var json = System.Text.Json.JsonDocument.Parse(schema.ToString());
            if (json.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
                || !json.RootElement.TryGetProperty("aliases", out var aliases)) return [];
            return aliases.EnumerateArray().Select(a => a.GetString()!)
                .Select(a => a.Contains('.') || string.IsNullOrEmpty(schema.Namespace) ? a : $"{schema.Namespace}.{a}").ToList();
        }

        // Whether reader reads writer without a problem, without reporting.
        private bool Quiet(Schema reader, Schema writer)
        {
            var found = new List<string>();
            var walk = new Walk(found);
            foreach (var pair in _visiting) walk._visiting.Add(pair);
            walk.Compare(reader, writer, "");
            return found.Count == 0;
        }

        // The spec's promotions that Apache.Avro's CanRead accepts (it does not accept string <-> bytes).
        private static bool Promotes(Schema.Type writer, Schema.Type reader) => reader switch
        {
            Schema.Type.Long => writer is Schema.Type.Int,
            Schema.Type.Float => writer is Schema.Type.Int or Schema.Type.Long,
            Schema.Type.Double => writer is Schema.Type.Int or Schema.Type.Long or Schema.Type.Float,
            Schema.Type.Record => writer is Schema.Type.Error,
            Schema.Type.Error => writer is Schema.Type.Record,
            _ => false,
        };
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(Schema, Schema)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((Schema, Schema) x, (Schema, Schema) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((Schema, Schema) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}
