using System.Globalization;

namespace Otto.Streams.Query;

/// <summary>Where an instance answers queries: <see cref="StreamConfig.ApplicationServer"/> ("host:port").</summary>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">Port.</param>
public sealed record HostInfo(string Host, int Port)
{
    /// <summary>No known instance (Kafka Streams' <c>HostInfo.unavailable()</c>).</summary>
    public static HostInfo Unavailable { get; } = new("unavailable", -1);

    /// <summary>Parses "host:port" (an IPv6 host in brackets: "[::1]:8080").</summary>
    /// <exception cref="FormatException">Not host:port with a port in 1-65535.</exception>
    public static HostInfo Parse(string endpoint) =>
        TryParse(endpoint) ?? throw new FormatException($"'{endpoint}' is not host:port (with a port between 1 and 65535).");

    /// <summary>Parses "host:port"; null when it is not that.</summary>
    public static HostInfo? TryParse(string? endpoint)
    {
        var colon = endpoint?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            return null;
        return new HostInfo(endpoint![..colon], port);
    }

    /// <summary>"host:port".</summary>
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
