using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>
/// Builds a reader for data written with one schema into the generic representation of another, following the
/// spec's "Schema Resolution" rules. Building never throws: a pair that cannot be resolved becomes a step that
/// throws when data reaches it (the spec makes e.g. an unmatched writer union branch an error only when it is
/// read), and every such problem is also listed so the compatibility checker can judge the pair up front.
/// </summary>
internal sealed class Resolver
{
    private readonly List<string> _problems = new();
    private readonly Dictionary<(RecordSchema, RecordSchema), RecordStep> _records = new();

    private Resolver() { }

    public delegate object? ReadStep(AvroBinaryReader reader);

    public static (ReadStep Read, IReadOnlyList<string> Problems) Build(AvroSchema writer, AvroSchema reader)
    {
        var resolver = new Resolver();
        var step = resolver.Resolve(writer, reader, Root(reader));
        return (step, resolver._problems);
    }

    private static string Root(AvroSchema s) => s is NamedSchema n ? n.Name : PrimitiveSchema.NameOf(s.Type);

    private ReadStep Resolve(AvroSchema w, AvroSchema r, string path)
    {
        if (w is UnionSchema wu) return ResolveWriterUnion(wu, r, path);
        if (r is UnionSchema ru) return ResolveReaderUnion(w, ru, path);
        return (w, r) switch
        {
            (RecordSchema wr, RecordSchema rr) when NamesMatch(wr, rr) => ResolveRecord(wr, rr, path),
            (EnumSchema we, EnumSchema re) when NamesMatch(we, re) => ResolveEnum(we, re, path),
            (FixedSchema wf, FixedSchema rf) when NamesMatch(wf, rf) && wf.Size == rf.Size => ResolveFixed(wf, rf),
            (ArraySchema wa, ArraySchema ra) => ResolveArray(Resolve(wa.Items, ra.Items, path + ".items"), wa.Items.EncodesToZeroBytes),
            (MapSchema wm, MapSchema rm) => ResolveMap(Resolve(wm.Values, rm.Values, path + ".values")),
            (PrimitiveSchema, PrimitiveSchema) when Promotion.CanPromote(w.Type, r.Type) => ResolvePrimitive(w, r),
            _ => Fail(path, $"writer's {GenericDatumWriter.Describe(w)} cannot be read as {GenericDatumWriter.Describe(r)}"),
        };
    }

    private ReadStep ResolveWriterUnion(UnionSchema w, AvroSchema r, string path)
    {
        var branches = new ReadStep[w.Branches.Count];
        for (var i = 0; i < branches.Length; i++)
        {
            branches[i] = Resolve(w.Branches[i], r, $"{path}[{i}]");
        }
        return reader => branches[reader.ReadUnionIndex(branches.Length)](reader);
    }

    private ReadStep ResolveReaderUnion(AvroSchema w, UnionSchema r, string path)
    {
        // The spec: the first reader branch that matches the writer's schema. An exact type match is preferred
        // over a promotion so that e.g. int is not read into a long branch listed before an int branch.
        var match = r.Branches.FirstOrDefault(b => SameKind(w, b)) ?? r.Branches.FirstOrDefault(b => Promotable(w, b));
        return match is null
            ? Fail(path, $"writer's {GenericDatumWriter.Describe(w)} matches no branch of the reader's union")
            : Resolve(w, match, path);
    }

    private ReadStep ResolveRecord(RecordSchema w, RecordSchema r, string path)
    {
        if (_records.TryGetValue((w, r), out var existing)) return existing.Read;
        var step = new RecordStep(r);
        _records.Add((w, r), step);
        var matched = new HashSet<AvroField>();
        var writerSteps = new List<(int ReaderPosition, ReadStep Read)>();
        foreach (var wf in w.Fields)
        {
            var rf = r.GetField(wf.Name) ?? r.Fields.FirstOrDefault(f => f.Aliases.Contains(wf.Name));
            if (rf is null)
            {
                // Field removed in the reader: decode and drop it.
                writerSteps.Add((-1, Resolve(wf.Schema, wf.Schema, $"{path}.{wf.Name}")));
                continue;
            }
            matched.Add(rf);
            writerSteps.Add((rf.Position, Resolve(wf.Schema, rf.Schema, $"{path}.{rf.Name}")));
        }
        var defaults = new List<AvroField>();
        foreach (var rf in r.Fields.Where(f => !matched.Contains(f)))
        {
            if (rf.HasDefault) defaults.Add(rf);
            else writerSteps.Add((-1, Fail($"{path}.{rf.Name}", $"reader field '{rf.Name}' has no default and the writer's {w.FullName} lacks it")));
        }
        step.Initialize(writerSteps, defaults);
        return step.Read;
    }

    private ReadStep ResolveEnum(EnumSchema w, EnumSchema r, string path)
    {
        var map = new GenericEnum?[w.Symbols.Count];
        for (var i = 0; i < map.Length; i++)
        {
            var symbol = w.Symbols[i];
            if (r.IndexOf(symbol) >= 0) map[i] = new GenericEnum(r, symbol);
            else if (r.Default is not null) map[i] = new GenericEnum(r, r.Default);
            else _problems.Add($"{path}: writer's symbol '{symbol}' is not in the reader's enum {r.FullName}, which has no default");
        }
        return reader =>
        {
            var index = reader.ReadEnum(map.Length);
            return map[index] ?? throw new AvroException(
                $"cannot resolve {path}: writer's symbol '{w.Symbols[index]}' is not in the reader's enum {r.FullName}, which has no default");
        };
    }

    private static ReadStep ResolveFixed(FixedSchema w, FixedSchema r) =>
        r.LogicalType is { IsDecimal: true } d
            ? reader => reader.ReadFixedDecimal(d.Scale, r.Size)
            : reader => new GenericFixed(r, reader.ReadFixed(w.Size));

    private static ReadStep ResolveArray(ReadStep item, bool zeroSizeItems) => reader => reader.ReadArray(inner => item(inner), zeroSizeItems);

    private static ReadStep ResolveMap(ReadStep value) => reader => reader.ReadMap(inner => value(inner));

    private static ReadStep ResolvePrimitive(AvroSchema w, AvroSchema r)
    {
        var physical = Promotion.Reader(w.Type, r.Type);
        return r.LogicalType switch
        {
            { IsDecimal: true } d when r.Type == AvroType.Bytes => reader => reader.ReadDecimal(d.Scale),
            // The reader's logical type applies to the promoted physical value, as in the Java implementation.
            { } logical => reader =>
            {
                var start = reader.Position;
                var value = physical(reader)!;
                try
                {
                    return LogicalValues.FromPhysical(logical, value);
                }
                catch (AvroException e)
                {
                    throw new AvroException($"corrupt Avro data at offset {start}: {e.Message}", e);
                }
            },
            _ => physical,
        };
    }

    private ReadStep Fail(string path, string message)
    {
        _problems.Add($"{path}: {message}");
        return _ => throw new AvroException($"cannot resolve writer schema to reader schema at {path}: {message}");
    }

    // Spec: named types match when their unqualified names match, or the reader lists the writer's full name
    // as an alias.
    private static bool NamesMatch(NamedSchema w, NamedSchema r) => w.Name == r.Name || r.Aliases.Contains(w.FullName);

    private static bool SameKind(AvroSchema w, AvroSchema r) => (w, r) switch
    {
        (NamedSchema wn, NamedSchema rn) => w.Type == r.Type && NamesMatch(wn, rn),
        _ => w.Type == r.Type,
    };

    private static bool Promotable(AvroSchema w, AvroSchema r) =>
        w is PrimitiveSchema && r is PrimitiveSchema && Promotion.CanPromote(w.Type, r.Type);

    /// <summary>Reads one record: writer fields in writer order into reader positions, then reader defaults.</summary>
    private sealed class RecordStep(RecordSchema reader)
    {
        private (int ReaderPosition, ReadStep Read)[] _writerSteps = [];
        private AvroField[] _defaults = [];

        public void Initialize(List<(int, ReadStep)> writerSteps, List<AvroField> defaults)
        {
            _writerSteps = writerSteps.ToArray();
            _defaults = defaults.ToArray();
        }

        public object? Read(AvroBinaryReader r)
        {
            var record = new GenericRecord(reader);
            r.EnterNested();
            foreach (var (position, read) in _writerSteps)
            {
                var value = read(r);
                if (position >= 0) record[position] = value;
            }
            r.ExitNested();
            foreach (var field in _defaults) record[field.Position] = GenericValues.DeepCopy(field.DefaultValue);
            return record;
        }
    }
}
