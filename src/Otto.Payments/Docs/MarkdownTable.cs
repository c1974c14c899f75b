using System.Text;

namespace Otto.Payments.Docs;

/// <summary>A GitHub markdown table; cell text is escaped so a pipe or a line break cannot break a row.</summary>
internal static class MarkdownTable
{
    public static string Render(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        Row(text, header);
        Row(text, [.. header.Select(_ => "---")]);
        foreach (var row in rows) Row(text, row);
        return text.ToString();
    }

    /// <summary>Inline code that survives in a table cell.</summary>
    public static string Code(string text) => $"`{text.Replace("`", "'")}`";

    private static void Row(StringBuilder text, IReadOnlyList<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(Cell)).Append(" |\n");

    private static string Cell(string text) =>
        text.Replace("|", "\\|").Replace("\r\n", "<br>").Replace("\n", "<br>");
}
