using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>A named fixed type is a byte[] (or a decimal) in fields; its class only records the size, so code
/// that builds values can refer to it by name.</summary>
internal static class FixedGenerator
{
    public static string Generate(FixedSchema schema, string source)
    {
        var code = CodeBuilder.ForType(schema, source,
            $"Avro fixed {schema.FullName}: fields of this type are {(schema.LogicalType is { IsDecimal: true } ? "decimal" : "byte[]")} values of {schema.Size} bytes.");
        code.Open($"public static class {CSharpNames.Identifier(schema.Name)}");
        code.Summary("The size in bytes.");
        code.Line($"public const int Size = {schema.Size};");
        code.Close();
        return code.ToString();
    }
}
