using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Otto.Streams.Worker.Cli;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Where the worker's HTTP side listens, from <see cref="MetricsOptions"/> and <see cref="QueryOptions"/>: metrics and
/// health on Otto:Metrics:Host/Port, the read side there too or on a listener of its own (Otto:Query:Host/Port).
/// Checked before anything starts: an address that is not one, or the read side on a non-loopback address without
/// a key, stop the worker with one line.
/// </summary>
public sealed class HttpBindings
{
    private HttpBindings(HttpBinding? metrics, HttpBinding? readSide)
    {
        Metrics = metrics;
        ReadSide = readSide;
        All = new[] { metrics, readSide }.OfType<HttpBinding>().Distinct().ToList();
    }

    /// <summary>The listener of /metrics and the probes; null when Otto:Metrics:Enabled is false.</summary>
    public HttpBinding? Metrics { get; }

    /// <summary>The listener of the read side (the metrics one when shared); null when Otto:Query:Enabled is false.</summary>
    public HttpBinding? ReadSide { get; }

    /// <summary>Every distinct listener; none when both sides are off.</summary>
    public IReadOnlyList<HttpBinding> All { get; }

    /// <summary>The listeners <paramref name="options"/> asks for.</summary>
    /// <exception cref="StartupException">An address setting is not an address, Otto:Query:AdvertisedUrl not an http URL,
    /// or the read side would be reachable from other machines without Otto:Query:ApiKey.</exception>
    public static HttpBindings From(OttoOptions options)
    {
        var (metricsOptions, query) = (options.Metrics, options.Query);
        var shared = query.Enabled && query.SharesMetricsEndpoint(metricsOptions);
        HttpBinding? metrics = null, readSide = null;
        if (metricsOptions.Enabled)
        {
            HashSet<HttpSide> sides = shared ? [HttpSide.Metrics, HttpSide.ReadSide] : [HttpSide.Metrics];
            metrics = new HttpBinding(Address(metricsOptions.Host, "Otto:Metrics:Host"), Port(metricsOptions.Port, "Otto:Metrics:Port"),
                "Otto:Metrics:Host", "Otto:Metrics:Port", sides);
        }
        if (shared) readSide = metrics;
        else if (query.Enabled)
        {
            var (host, port) = query.Binding(metricsOptions);
            var hostSetting = query.Host is null ? "Otto:Metrics:Host" : "Otto:Query:Host";
            var portSetting = query.Port is null ? "Otto:Metrics:Port" : "Otto:Query:Port";
            readSide = new HttpBinding(Address(host, hostSetting), Port(port, portSetting), hostSetting, portSetting, new HashSet<HttpSide> { HttpSide.ReadSide });
        }
        if (readSide is not null && query.AdvertisedUrl is not null)
        {
            try { query.Advertised(metricsOptions, readSide.ConfiguredPort); }
            catch (ArgumentException e) { throw new StartupException(e.Message, ExitCodes.Configuration, e); }
        }
        if (readSide is { IsLoopback: false } && string.IsNullOrWhiteSpace(query.ApiKey))
            throw new StartupException(
                $"the read side (payment data) would listen on {readSide.Address} ({readSide.HostSetting}) without authentication: " +
                "set Otto:Query:ApiKey (clients send 'Authorization: Bearer <key>'), or give the read side a loopback Otto:Query:Host and its own " +
                "Otto:Query:Port, or turn it off with Otto:Query:Enabled=false", ExitCodes.ReadSideUnprotected);
        return new HttpBindings(metrics, readSide);
    }

    /// <summary>The one line and exit code for <paramref name="error"/>, thrown by Kestrel when it could not listen
    /// on one of these bindings; null when it is something else.</summary>
    public StartupException? ListenFailure(Exception error) => error switch
    {
        // Kestrel: "Failed to bind to address http://127.0.0.1:9464: address already in use." It does not say which of
        // its endpoints that was; the port in the message tells (two listeners never share one).
        IOException { InnerException: AddressInUseException } io when All.FirstOrDefault(b => io.Message.Contains($":{b.ConfiguredPort}:", StringComparison.Ordinal)) is { } b =>
            new StartupException($"cannot listen on {b.Address}:{b.ConfiguredPort} for {b.What}: the port is already in use (another otto run?); " +
                $"set {b.PortSetting} to a free port, or to 0 for any free port", ExitCodes.PortInUse, error),
        IOException { InnerException: AddressInUseException } =>
            new StartupException("cannot listen: a port is already in use (another otto run?); set Otto:Metrics:Port or Otto:Query:Port to a free port, " +
                "or to 0 for any free port", ExitCodes.PortInUse, error),
        // Thrown by the socket itself, without the address: the binding it can be is the one with an address that may be
        // missing here (not loopback, not every interface), or with a privileged port.
        SocketException { SocketErrorCode: SocketError.AddressNotAvailable } =>
            new StartupException($"cannot listen on {Suspects(b => !b.IsLoopback && !b.Address.Equals(IPAddress.Any) && !b.Address.Equals(IPAddress.IPv6Any), b => b.HostSetting)}: " +
                "that is not an address of this machine; use one of its addresses, or 0.0.0.0 for every interface", ExitCodes.CannotListen, error),
        SocketException { SocketErrorCode: SocketError.AccessDenied } =>
            new StartupException($"cannot listen on {Suspects(b => b.ConfiguredPort is > 0 and < 1024, b => b.PortSetting)}: permission denied " +
                "(ports below 1024 need privileges); use another port", ExitCodes.CannotListen, error),
        _ => null,
    };

    // "10.0.0.9:9464 (Otto:Metrics:Host)", for the bindings that can have failed so (all of them when none fits).
    private string Suspects(Func<HttpBinding, bool> couldFail, Func<HttpBinding, string> setting)
    {
        var suspects = All.Where(couldFail).ToList();
        return string.Join(" or ", (suspects.Count > 0 ? suspects : All).Select(b => $"{b.Address}:{b.ConfiguredPort} ({setting(b)})"));
    }

    private static IPAddress Address(string host, string setting) =>
        HttpBinding.ParseAddress(host) ?? throw new StartupException(
            $"{setting} '{host}' is not an address to listen on: use an IP address of this machine, 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
            ExitCodes.Configuration);

    private static int Port(int port, string setting) =>
        port is >= 0 and <= 65535 ? port : throw new StartupException($"{setting} {port} is not a port: use 1-65535, or 0 for any free port", ExitCodes.Configuration);
}
