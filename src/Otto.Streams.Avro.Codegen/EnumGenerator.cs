using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>Generates a C# enum whose members are the Avro symbols, in order (the value is the wire index).</summary>
internal static class EnumGenerator
{
    public static string Generate(EnumSchema schema, string source)
    {
        var code = CodeBuilder.ForType(schema, source, $"Avro enum {schema.FullName}.");
        code.Open($"public enum {CSharpNames.Identifier(schema.Name)}");
        for (var i = 0; i < schema.Symbols.Count; i++)
        {
            code.Summary($"Avro symbol {schema.Symbols[i]}{(schema.Symbols[i] == schema.Default ? " (the default for unknown symbols)" : "")}.");
            code.Line($"{CSharpNames.Identifier(schema.Symbols[i])} = {i},");
        }
        code.Close();
        return code.ToString();
    }
}
