using System.Globalization;
using System.Text.RegularExpressions;

namespace Otto.Testing;

/// <summary>Reads a worker's /metrics (Prometheus text format 0.0.4, as OpenTelemetry's exporter writes it).</summary>
public static partial class PrometheusText
{
    /// <summary>The sum of every series named <paramref name="name"/>, whatever its labels (e.g. each outcome of
    /// <c>otto_payments_facts_total</c>); 0 when there is none yet.</summary>
    public static double Sum(string text, string name) =>
        Sample().Matches(text).Where(m => m.Groups["name"].Value == name)
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    // name{labels} value [timestamp]; a label value may hold '}' only quoted, which Otto's labels never do.
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
