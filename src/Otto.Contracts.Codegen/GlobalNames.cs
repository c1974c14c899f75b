using System.Text.RegularExpressions;

namespace Otto.Contracts.Codegen;

/// <summary>
/// Apache.Avro's CodeGen refers to generated types by full name without <c>global::</c>. Otto's Avro namespaces
/// include <c>Otto.Contracts.Otto</c>, and inside any <c>Otto.Contracts.*</c> namespace C# then binds
/// <c>Otto.Contracts.PaymentRail</c> to <c>Otto.Contracts.Otto.Contracts.PaymentRail</c>, which does not exist.
/// Qualifying the references (not the schema JSON inside string literals) fixes that without renaming the schemas.
/// </summary>
internal static class GlobalNames
{
    public static string Qualify(string code, IEnumerable<string> fullNames)
    {
        var names = new Regex(string.Join('|', fullNames.OrderByDescending(n => n.Length).Select(n => $@"(?<![\w.:""]){Regex.Escape(n)}(?![\w""])")));
        // The schema JSON (the _SCHEMA literal) is what gets registered: its text stays exactly as Apache wrote it.
        return string.Join('\n', code.Split('\n').Select(line => line.Contains("_SCHEMA = ", StringComparison.Ordinal) ? line : names.Replace(line, "global::$0")));
    }
}
