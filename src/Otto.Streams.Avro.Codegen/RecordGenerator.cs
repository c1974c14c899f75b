using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>
/// Generates a sealed partial class for a record: PascalCase properties, the self-contained schema, and the
/// <c>IAvroRecord</c> Read/Write. Fields without a default whose C# type is a non-nullable reference are
/// <c>required</c>; arrays and maps without a default start empty; value types start at their C# default.
/// </summary>
internal static class RecordGenerator
{
    private static readonly HashSet<string> ReservedMembers = new(StringComparer.Ordinal) { "Schema", "SchemaJson", "Read", "Write" };

    public static string Generate(RecordSchema record, string source)
    {
        var name = CSharpNames.Identifier(record.Name);
        var code = CodeBuilder.ForType(record, source, $"Avro record {record.FullName}.");
        code.Open($"public sealed partial class {name} : global::Otto.Streams.Avro.Specific.IAvroRecord<{name}>");
        code.Summary("The record's full schema with every named type inlined (what is registered with the schema registry).");
        code.Line($"public const string SchemaJson = {CSharpNames.Literal(record.ToJson())};");
        code.Line();
        code.Line($"private static readonly global::Otto.Streams.Avro.Schema.RecordSchema s_schema = (global::Otto.Streams.Avro.Schema.RecordSchema)global::Otto.Streams.Avro.Schema.AvroSchema.Parse(SchemaJson);");
        code.Line();
        code.Summary("The parsed schema.");
        code.Line("public static global::Otto.Streams.Avro.Schema.RecordSchema Schema => s_schema;");
        foreach (var field in record.Fields) WriteProperty(code, record, field);
        WriteRead(code, record, name);
        WriteWrite(code, record);
        code.Close();
        return code.ToString();
    }

    /// <summary>The C# property name of a field; renamed with a "Value" suffix where it would clash with the
    /// class name or a member the generator emits.</summary>
    public static string PropertyName(RecordSchema record, AvroField field)
    {
        var pascal = CSharpNames.Pascal(field.Name);
        return pascal == record.Name || ReservedMembers.Contains(pascal) ? pascal + "Value" : CSharpNames.Identifier(pascal);
    }

    private static void WriteProperty(CodeBuilder code, RecordSchema record, AvroField field)
    {
        var path = $"{record.Name}.{field.Name}";
        var type = CSharpTypes.TypeOf(field.Schema, path);
        var initializer = field.HasDefault ? CSharpTypes.DefaultLiteral(field.Schema, field.DefaultValue, path) : null;
        if (initializer is null && !field.HasDefault && field.Schema is ArraySchema or MapSchema) initializer = "new()";
        var nullable = field.Schema is UnionSchema { NullIndex: >= 0 } or { Type: AvroType.Null };
        var required = initializer is null && !field.HasDefault && !nullable && !CSharpTypes.IsValueType(field.Schema);
        code.Line();
        code.Summary(field.Doc ?? $"Avro field {field.Name}.");
        code.Line($"public {(required ? "required " : "")}{type} {PropertyName(record, field)} {{ get; set; }}{(initializer is null ? "" : $" = {initializer};")}");
    }

    private static void WriteRead(CodeBuilder code, RecordSchema record, string name)
    {
        code.Line();
        code.Summary($"Decodes a {record.Name} written with exactly this schema.");
        code.Open($"public static {name} Read(global::Otto.Streams.Avro.IO.AvroBinaryReader reader)");
        // Fields are read into locals in schema order: object initializer order would also work, but locals keep
        // the wire order explicit. The nesting count guards recursive schemas against corrupt, deep data.
        code.Line("reader.EnterNested();");
        foreach (var field in record.Fields)
        {
            code.Line($"var f{field.Position} = {CSharpTypes.ReadExpr(field.Schema, "reader", 0, $"{record.Name}.{field.Name}")};");
        }
        code.Line("reader.ExitNested();");
        code.Open($"return new {name}");
        foreach (var field in record.Fields) code.Line($"{PropertyName(record, field)} = f{field.Position},");
        code.Close(";");
        code.Close();
    }

    private static void WriteWrite(CodeBuilder code, RecordSchema record)
    {
        code.Line();
        code.Summary($"Encodes this {record.Name} with its schema.");
        code.Open("public void Write(global::Otto.Streams.Avro.IO.AvroBinaryWriter writer)");
        foreach (var field in record.Fields)
        {
            CSharpTypes.Write(code, field.Schema, $"this.{PropertyName(record, field)}", "writer", 0, $"{record.Name}.{field.Name}");
        }
        code.Close();
    }
}
