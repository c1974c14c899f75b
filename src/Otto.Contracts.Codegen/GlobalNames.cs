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
        foreach (var name in fullNames.OrderByDescending(n => n.Length))
            code = Regex.Replace(code, $@"(?<![\w.:""]){Regex.Escape(name)}(?![\w""])", $"global::{name}");
        return code;
    }
}
