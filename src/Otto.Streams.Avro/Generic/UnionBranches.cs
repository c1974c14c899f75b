using System.Collections;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>Chooses the union branch for a generic value: an exact match first, then a promotable one.</summary>
internal static class UnionBranches
{
    public static int Select(UnionSchema union, object? value)
    {
        for (var i = 0; i < union.Branches.Count; i++)
        {
            if (Matches(union.Branches[i], value, exact: true)) return i;
        }
        for (var i = 0; i < union.Branches.Count; i++)
        {
            if (Matches(union.Branches[i], value, exact: false)) return i;
        }
        return -1;
    }

    private static bool Matches(AvroSchema branch, object? value, bool exact) => (branch, value) switch
    {
        ({ Type: AvroType.Null }, null) => true,
        (_, null) => false,
        ({ Type: AvroType.Boolean }, bool) => true,
        ({ Type: AvroType.Int }, int) => true,
        ({ LogicalType: { IsDecimal: false } logical }, _) when LogicalValues.ToPhysical(logical, value) is not null => true,
        ({ Type: AvroType.Long }, long) => true,
        ({ Type: AvroType.Long }, int) => !exact,
        ({ Type: AvroType.Float }, float) => true,
        ({ Type: AvroType.Double }, double) => true,
        ({ Type: AvroType.Double }, float) => !exact,
        ({ Type: AvroType.String }, string) => true,
        ({ Type: AvroType.Bytes or AvroType.Fixed, LogicalType.IsDecimal: true }, decimal) => true,
        ({ Type: AvroType.Bytes }, byte[]) => true,
        (RecordSchema r, GenericRecord g) => g.Schema.FullName == r.FullName,
        (EnumSchema e, GenericEnum g) => g.Schema.FullName == e.FullName,
        (EnumSchema e, string s) => !exact && e.IndexOf(s) >= 0,
        (FixedSchema f, GenericFixed g) => g.Schema.FullName == f.FullName,
        (FixedSchema f, byte[] b) => !exact && b.Length == f.Size,
        ({ Type: AvroType.Map }, IDictionary) => true,
        ({ Type: AvroType.Array }, IEnumerable and not string and not byte[] and not IDictionary) => true,
        _ => false,
    };
}
