using System.Globalization;
using Otto.Payments.Rules;
using static Otto.Payments.Docs.MarkdownTable;

namespace Otto.Payments.Docs;

/// <summary>The rule catalog: a table of the rules' <see cref="RuleInfo"/>, then the settings every rule shares with
/// their values, read from <see cref="PaymentsOptions"/> itself.</summary>
public static class RuleCatalog
{
    private static readonly RuleOptions Defaults = new();

    /// <summary>The catalog of <paramref name="rules"/> (in their order) and the shared settings of <paramref name="options"/>, as markdown.</summary>
    public static string Render(IEnumerable<IPaymentRule> rules, PaymentsOptions options)
    {
        var rows = rules.Select(rule => rule.Info).Select(info => (IReadOnlyList<string>)
        [
            Code(info.Name),
            info.Trigger,
            $"{Code($"Otto:Payments:Rules:{info.Name}:")} {(info.Settings == "none" ? "" : $"{info.Settings}, ")}Action (default {Defaults.Action}), Enabled (default {Defaults.Enabled.ToString().ToLowerInvariant()})",
            info.Outcome,
            string.Join(", ", info.Reasons.Select(r => Code(r.ToString()))),
            $"{Code(info.Fix.ToString())} → {info.FixTarget}",
        ]);
        var shared = typeof(PaymentsOptions).GetProperties()
            .Where(p => p.CanWrite && (p.PropertyType.IsPrimitive || p.PropertyType == typeof(string) || p.PropertyType == typeof(TimeSpan) || p.PropertyType == typeof(decimal)))
            .Select(p => (IReadOnlyList<string>)[Code($"Otto:Payments:{p.Name}"), Code(Convert.ToString(p.GetValue(options), CultureInfo.InvariantCulture) ?? "")]);

        return MarkdownTable.Render(["rule", "trigger", "settings (defaults)", "outcome (and what clears it)", "flag reasons", "fix intent → target"], rows)
            + "\nSettings every rule shares:\n\n"
            + MarkdownTable.Render(["setting", "value"], shared);
    }
}
