using System.Globalization;

namespace Otto.Bench;

/// <summary>A benchmark's arguments: positional numbers, then options written <c>--name</c> or <c>--name=value</c>.</summary>
internal sealed class BenchArgs(string[] args)
{
    private readonly string[] _positional = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];

    /// <summary>The positional argument at <paramref name="index"/> as a number, or <paramref name="fallback"/>.</summary>
    public double Number(int index, double fallback) =>
        index < _positional.Length ? double.Parse(_positional[index], CultureInfo.InvariantCulture) : fallback;

    /// <summary>Whether <c>--name</c> (with or without a value) was given.</summary>
    public bool Flag(string name) => Value(name) is not null || args.Contains($"--{name}");

    /// <summary>The value of <c>--name=value</c>, or null.</summary>
    public string? Value(string name) => Values(name).LastOrDefault();

    /// <summary>Every value given as <c>--name=value</c>, in order.</summary>
    public IEnumerable<string> Values(string name) =>
        args.Where(a => a.StartsWith($"--{name}=", StringComparison.Ordinal)).Select(a => a[(name.Length + 3)..]);

    /// <summary>Every <c>--set=key=value</c>: settings for Otto:Kafka:Properties (Streamiz's keys such as poll.ms, or
    /// librdkafka's), as a user would configure them.</summary>
    public IEnumerable<KeyValuePair<string, string>> Settings() => Values("set").Select(setting =>
        setting.IndexOf('=', StringComparison.Ordinal) is var at and > 0
            ? KeyValuePair.Create(setting[..at], setting[(at + 1)..])
            : throw new ArgumentException($"--set={setting}: expected --set=key=value"));

    /// <summary>The <see cref="Settings"/> as the benchmarks' output lines end: <c> key=value</c> each.</summary>
    public string SettingsText() => string.Concat(Settings().Select(s => $" {s.Key}={s.Value}"));

    /// <summary>The value of <c>--name=value</c> as a number, or <paramref name="fallback"/>.</summary>
    public double Number(string name, double fallback) =>
        Value(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
