using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Otto.Streams.Worker.Hosting;

/// <summary>What a route belongs to: the metrics listener (/metrics, /health) or the read side (payment data).</summary>
public enum HttpSide
{
    /// <summary>/metrics and the health probes.</summary>
    Metrics,

    /// <summary>/payments/{id}, /flags.</summary>
    ReadSide,
}

/// <summary>Endpoint metadata: the side a route belongs to; it answers only on a listener serving that side.</summary>
/// <param name="Side">The side.</param>
public sealed record ServedOn(HttpSide Side);

/// <summary>
/// One address the worker listens on (a Kestrel endpoint) and the sides it serves. Kestrel tells each connection
/// which binding accepted it (a connection feature), so a route is matched to the listener by the socket the request
/// came through, never by its Host header; and it updates the endpoint with the port it bound, so port 0 (any free
/// port) is known once the server has started.
/// </summary>
public sealed class HttpBinding
{
    private ListenOptions? _listen;

    internal HttpBinding(IPAddress address, int port, string hostSetting, string portSetting, IReadOnlySet<HttpSide> sides)
    {
        Address = address;
        ConfiguredPort = port;
        HostSetting = hostSetting;
        PortSetting = portSetting;
        Sides = sides;
    }

    /// <summary>The address listened on.</summary>
    public IPAddress Address { get; }

    /// <summary>The port configured (0: any free port).</summary>
    public int ConfiguredPort { get; }

    /// <summary>The setting naming the address, for messages.</summary>
    public string HostSetting { get; }

    /// <summary>The setting naming the port, for messages.</summary>
    public string PortSetting { get; }

    /// <summary>What it serves.</summary>
    public IReadOnlySet<HttpSide> Sides { get; }

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>The port: the one bound once Kestrel listens, the configured one before.</summary>
    public int Port => _listen?.IPEndPoint?.Port is { } bound and not 0 ? bound : ConfiguredPort;

    /// <summary>http://address:port/ (the bound port once listening).</summary>
    public Uri Url => new($"http://{new IPEndPoint(Address, Port)}/");

    /// <summary>"metrics and health", "the read side" or both, for messages.</summary>
    public string What => Sides.Count == 2 ? "metrics, health and the read side" : Sides.Contains(HttpSide.Metrics) ? "metrics and health" : "the read side";

    /// <summary>Adds this binding's endpoint to Kestrel.</summary>
    public void ListenOn(KestrelServerOptions kestrel) =>
        kestrel.Listen(Address, ConfiguredPort, listen =>
        {
            _listen = listen;
            listen.Use(next => connection =>
            {
                connection.Features.Set(this);
                return next(connection);
            });
        });

    /// <summary>Whether a route of <paramref name="side"/> answers on this listener.</summary>
    public bool Serves(HttpSide side) => Sides.Contains(side);

    /// <summary>An address setting as Kestrel listens on it: an IP address, <c>localhost</c> (loopback), or <c>+</c>/<c>*</c>
    /// (every IPv4 address, as 0.0.0.0); null for anything else (a host name is not something to listen on).</summary>
    public static IPAddress? ParseAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "+" or "*" => IPAddress.Any,
        _ => IPAddress.TryParse(host, out var address) ? address : null,
    };
}
