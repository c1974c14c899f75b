using System.Text;

namespace Otto.Streams.Avro.Codegen;

/// <summary>Accumulates indented lines of C#.</summary>
internal sealed class CodeBuilder
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeBuilder Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
        return this;
    }

    public CodeBuilder Open(string line)
    {
        Line(line).Line("{");
        _indent++;
        return this;
    }

    public CodeBuilder Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes a /// summary with XML-escaped text.</summary>
    public CodeBuilder Summary(string text) =>
        Line($"/// <summary>{System.Security.SecurityElement.Escape(text.ReplaceLineEndings(" "))}</summary>");

    public override string ToString() => _text.ToString();
}
