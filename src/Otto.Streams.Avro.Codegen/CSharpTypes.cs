using System.Globalization;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>
/// The C# type of an Avro schema and the reflection-free code that reads and writes it. Lambda parameters
/// are numbered by nesting depth so nested arrays and maps do not shadow each other.
/// </summary>
internal static class CSharpTypes
{
    private const string Specific = "global::Otto.Streams.Avro.Specific.AvroRecord";

    public static string TypeOf(AvroSchema s, string path) => s switch
    {
        UnionSchema u when IsNullable(u) => Nullable(TypeOf(NonNullBranch(u).Branch, path)),
        UnionSchema u => GeneralUnionType(u, path),
        RecordSchema or EnumSchema => CSharpNames.Qualified((NamedSchema)s),
        FixedSchema { LogicalType.IsDecimal: true } => "decimal",
        FixedSchema => "byte[]",
        ArraySchema a => $"global::System.Collections.Generic.List<{TypeOf(a.Items, path + ".items")}>",
        MapSchema m => $"global::System.Collections.Generic.Dictionary<string, {TypeOf(m.Values, path + ".values")}>",
        { Type: AvroType.Null } => "object?",
        { LogicalType: { IsDecimal: false } logical } when Logical.TryGetValue(logical.Name, out var l) => l.Type,
        { Type: AvroType.Boolean } => "bool",
        { Type: AvroType.Int } => "int",
        { Type: AvroType.Long } => "long",
        { Type: AvroType.Float } => "float",
        { Type: AvroType.Double } => "double",
        { Type: AvroType.Bytes, LogicalType.IsDecimal: true } => "decimal",
        { Type: AvroType.Bytes } => "byte[]",
        { Type: AvroType.String } => "string",
        _ => throw Unsupported(path, $"a bare {s.Type} field"),
    };

    // Logical types with a .NET type of their own: the C# type and the reader/writer method suffix.
    private static readonly Dictionary<string, (string Type, string Method)> Logical = new(StringComparer.Ordinal)
    {
        ["date"] = ("global::System.DateOnly", "Date"),
        ["time-millis"] = ("global::System.TimeOnly", "TimeMillis"),
        ["time-micros"] = ("global::System.TimeOnly", "TimeMicros"),
        ["timestamp-millis"] = ("global::System.DateTimeOffset", "TimestampMillis"),
        ["timestamp-micros"] = ("global::System.DateTimeOffset", "TimestampMicros"),
        ["local-timestamp-millis"] = ("global::System.DateTime", "LocalTimestampMillis"),
        ["local-timestamp-micros"] = ("global::System.DateTime", "LocalTimestampMicros"),
        ["uuid"] = ("global::System.Guid", "Uuid"),
    };

    /// <summary>True for C# value types (no null check needed when writing).</summary>
    public static bool IsValueType(AvroSchema s) => s switch
    {
        { LogicalType: { IsDecimal: false } logical } when Logical.ContainsKey(logical.Name) => true,
        EnumSchema => true,
        FixedSchema f => f.LogicalType is { IsDecimal: true },
        { Type: AvroType.Boolean or AvroType.Int or AvroType.Long or AvroType.Float or AvroType.Double } => true,
        { Type: AvroType.Bytes, LogicalType.IsDecimal: true } => true,
        _ => false,
    };

    public static string ReadExpr(AvroSchema s, string r, int depth, string path)
    {
        switch (s)
        {
            case UnionSchema u when IsNullable(u):
                var (nullIndex, branch) = NonNullBranch(u);
                return $"{r}.ReadUnionIndex({u.Branches.Count}) == {nullIndex} ? ({Nullable(TypeOf(branch, path))})null : {ReadExpr(branch, r, depth, path)}";
            case UnionSchema u:
                // ReadUnionIndex checks the range, so the discard arm only satisfies the compiler.
                var type = GeneralUnionType(u, path);
                var arms = u.Branches.Select((b, i) => $"{i} => ({type}){(b.Type == AvroType.Null ? "null" : ReadExpr(b, r, depth, $"{path}[{i}]"))}, ");
                return $"{r}.ReadUnionIndex({u.Branches.Count}) switch {{ {string.Concat(arms)}_ => throw new global::System.InvalidOperationException() }}";
            case RecordSchema rec:
                return $"{CSharpNames.Qualified(rec)}.Read({r})";
            case EnumSchema e:
                return $"({CSharpNames.Qualified(e)}){r}.ReadEnum({e.Symbols.Count})";
            case FixedSchema { LogicalType: { IsDecimal: true } d } f:
                return $"{r}.ReadFixedDecimal({d.Scale}, {f.Size})";
            case FixedSchema f:
                return $"{r}.ReadFixed({f.Size})";
            case ArraySchema a:
                var ra = $"r{depth + 1}";
                return $"{r}.ReadArray(static {ra} => {ReadExpr(a.Items, ra, depth + 1, path + ".items")}{(a.Items.EncodesToZeroBytes ? ", zeroSizeItems: true" : "")})";
            case MapSchema m:
                var rm = $"r{depth + 1}";
                return $"{r}.ReadMap(static {rm} => {ReadExpr(m.Values, rm, depth + 1, path + ".values")})";
        }
        return s switch
        {
            { Type: AvroType.Null } => "(object?)null",
            { LogicalType: { IsDecimal: false } logical } when Logical.TryGetValue(logical.Name, out var l) => $"{r}.Read{l.Method}()",
            { Type: AvroType.Boolean } => $"{r}.ReadBoolean()",
            { Type: AvroType.Int } => $"{r}.ReadInt()",
            { Type: AvroType.Long } => $"{r}.ReadLong()",
            { Type: AvroType.Float } => $"{r}.ReadFloat()",
            { Type: AvroType.Double } => $"{r}.ReadDouble()",
            { Type: AvroType.Bytes, LogicalType: { IsDecimal: true } d } => $"{r}.ReadDecimal({d.Scale})",
            { Type: AvroType.Bytes } => $"{r}.ReadBytes()",
            { Type: AvroType.String } => $"{r}.ReadString()",
            _ => throw Unsupported(path, $"a bare {s.Type} field"),
        };
    }

    public static void Write(CodeBuilder code, AvroSchema s, string value, string w, int depth, string path)
    {
        switch (s)
        {
            case UnionSchema u when !IsNullable(u):
                WriteGeneralUnion(code, u, value, w, depth, path);
                return;
            case UnionSchema u:
                var (nullIndex, branch) = NonNullBranch(u);
                code.Open($"if ({value} is null)");
                code.Line($"{w}.WriteUnionIndex({nullIndex});");
                code.Close().Open("else");
                code.Line($"{w}.WriteUnionIndex({1 - nullIndex});");
                Write(code, branch, IsValueType(branch) ? value + ".Value" : value, w, depth, path);
                code.Close();
                return;
            case ArraySchema a:
                var (wa, ia) = ($"w{depth + 1}", $"v{depth + 1}");
                code.Open($"{w}.WriteArray({NotNull(value, path)}, static ({wa}, {ia}) =>");
                Write(code, a.Items, ia, wa, depth + 1, path + "[]");
                code.Close(");");
                return;
            case MapSchema m:
                var (wm, im) = ($"w{depth + 1}", $"v{depth + 1}");
                code.Open($"{w}.WriteMap({NotNull(value, path)}, static ({wm}, {im}) =>");
                Write(code, m.Values, im, wm, depth + 1, path + "{}");
                code.Close(");");
                return;
        }
        code.Line(s switch
        {
            RecordSchema => $"{NotNull(value, path)}.Write({w});",
            EnumSchema e => $"{w}.WriteEnum({Specific}.EnumIndex((int){value}, {e.Symbols.Count}, {CSharpNames.Literal(path)}));",
            FixedSchema { LogicalType: { IsDecimal: true } d } f => $"{w}.WriteFixedDecimal({value}, {d.Precision}, {d.Scale}, {f.Size});",
            FixedSchema f => $"{w}.WriteFixed({NotNull(value, path)}, {f.Size});",
            { Type: AvroType.Null } => $"{w}.WriteNull();",
            { LogicalType: { IsDecimal: false } logical } when Logical.TryGetValue(logical.Name, out var l) => $"{w}.Write{l.Method}({value});",
            { Type: AvroType.Boolean } => $"{w}.WriteBoolean({value});",
            { Type: AvroType.Int } => $"{w}.WriteInt({value});",
            { Type: AvroType.Long } => $"{w}.WriteLong({value});",
            { Type: AvroType.Float } => $"{w}.WriteFloat({value});",
            { Type: AvroType.Double } => $"{w}.WriteDouble({value});",
            { Type: AvroType.Bytes, LogicalType: { IsDecimal: true } d } => $"{w}.WriteDecimal({value}, {d.Precision}, {d.Scale});",
            { Type: AvroType.Bytes } => $"{w}.WriteBytes({NotNull(value, path)});",
            { Type: AvroType.String } => $"{w}.WriteString({NotNull(value, path)});",
            _ => throw Unsupported(path, $"a bare {s.Type} field"),
        });
    }

    /// <summary>The C# literal of a default value in the generic representation, or null for "no initializer".</summary>
    public static string? DefaultLiteral(AvroSchema s, object? value, string path) => (s, value) switch
    {
        (_, null) => null,
        (UnionSchema u, _) => DefaultLiteral(u.Branches[0], value, path),
        (_, bool b) => b ? "true" : "false",
        (_, int i) => i.ToString(CultureInfo.InvariantCulture),
        (_, long l) => l.ToString(CultureInfo.InvariantCulture) + "L",
        (_, float f) => float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) + "f" : throw Unsupported(path, "a non-finite default"),
        (_, double d) => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) + "d" : throw Unsupported(path, "a non-finite default"),
        (_, decimal m) => m.ToString(CultureInfo.InvariantCulture) + "m",
        (_, DateTimeOffset t) => $"new global::System.DateTimeOffset({t.UtcTicks}L, global::System.TimeSpan.Zero)",
        (_, DateTime t) => $"new global::System.DateTime({t.Ticks}L, global::System.DateTimeKind.Unspecified)",
        (_, DateOnly d) => $"global::System.DateOnly.FromDayNumber({d.DayNumber})",
        (_, TimeOnly t) => $"new global::System.TimeOnly({t.Ticks}L)",
        (_, Guid g) => $"new global::System.Guid({CSharpNames.Literal(g.ToString("D"))})",
        (_, string str) => CSharpNames.Literal(str),
        (_, byte[] bytes) => $"new byte[] {{ {string.Join(", ", bytes)} }}",
        (_, Generic.GenericFixed f) => $"new byte[] {{ {string.Join(", ", f.Bytes)} }}",
        (EnumSchema e, Generic.GenericEnum g) => $"{CSharpNames.Qualified(e)}.{CSharpNames.Identifier(g.Symbol)}",
        (ArraySchema a, List<object?> items) => items.Count == 0 ? "new()"
            : $"new() {{ {string.Join(", ", items.Select(i => DefaultLiteral(a.Items, i, path) ?? "null"))} }}",
        (MapSchema m, Dictionary<string, object?> map) => map.Count == 0 ? "new()"
            : $"new() {{ {string.Join(", ", map.Select(e => $"[{CSharpNames.Literal(e.Key)}] = {DefaultLiteral(m.Values, e.Value, path) ?? "null"}"))} }}",
        (RecordSchema r, Generic.GenericRecord g) => $"new {CSharpNames.Qualified(r)} {{ {string.Join(", ",
            r.Fields.Select(f => (f, lit: DefaultLiteral(f.Schema, g[f.Position], path))).Where(x => x.lit is not null)
                .Select(x => $"{RecordGenerator.PropertyName(r, x.f)} = {x.lit}"))} }}",
        _ => throw Unsupported(path, $"a default of {value.GetType().Name}"),
    };

    /// <summary>["null", T] or [T, "null"]: generated as a nullable T. Every other union is an object holding
    /// one branch's C# value.</summary>
    private static bool IsNullable(UnionSchema u) => u.Branches.Count == 2 && u.NullIndex >= 0;

    private static (int NullIndex, AvroSchema Branch) NonNullBranch(UnionSchema u) => (u.NullIndex, u.Branches[1 - u.NullIndex]);

    // The branch is found from the value's C# type when writing, so no two branches may share one.
    private static string GeneralUnionType(UnionSchema u, string path)
    {
        var types = u.Branches.Select((b, i) => (b, i)).Where(x => x.b.Type != AvroType.Null)
            .Select(x => (x.i, Type: TypeOf(x.b, $"{path}[{x.i}]"))).ToList();
        var clash = types.GroupBy(t => t.Type).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw Unsupported(path, $"a union whose branches {string.Join(" and ", clash.Select(t => t.i))} are both {clash.Key} in C#");
        return u.NullIndex >= 0 ? "object?" : "object";
    }

    private static void WriteGeneralUnion(CodeBuilder code, UnionSchema u, string value, string w, int depth, string path)
    {
        code.Open($"switch ({value})");
        for (var i = 0; i < u.Branches.Count; i++)
        {
            var branch = u.Branches[i];
            if (branch.Type == AvroType.Null)
            {
                code.Open("case null:").Line($"{w}.WriteUnionIndex({i});").Line("break;").Close();
                continue;
            }
            var variable = $"u{depth}_{i}";
            code.Open($"case {TypeOf(branch, path)} {variable}:");
            code.Line($"{w}.WriteUnionIndex({i});");
            Write(code, branch, variable, w, depth, $"{path}[{i}]");
            code.Line("break;").Close();
        }
        code.Open("default:");
        code.Line($"throw new global::Otto.Streams.Avro.AvroException($\"field '{path}' holds {{({value})?.GetType().Name ?? \"null\"}}, which is no branch of its union\");");
        code.Close();
        code.Close();
    }

    private static string Nullable(string type) => type + "?";

    private static string NotNull(string value, string path) => $"{Specific}.NotNull({value}, {CSharpNames.Literal(path)})";

    private static AvroException Unsupported(string path, string what) => new($"{path}: {what} is not supported by the code generator");
}
