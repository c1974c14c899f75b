using System.Net;
using System.Net.Sockets;

namespace Otto.IntegrationTests;

/// <summary>
/// Ports for the `otto run` processes' HTTP endpoints. Not the system's "any free port": that comes from the
/// ephemeral range, where every outgoing connection also takes its local port, so between the test choosing one and
/// the worker binding it, a Kafka client of another worker could take it (seen: "Address already in use", twice in a
/// row). These are below the ephemeral range, free when chosen, and distinct.
/// </summary>
internal static class ListenPorts
{
    private const int From = 20000;

    public static int[] Free(int count)
    {
        var ephemeralStart = EphemeralStart();
        var chosen = new List<int>();
        for (var port = From + Random.Shared.Next(0, 5000); chosen.Count < count && port < ephemeralStart; port++)
        {
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                chosen.Add(port);
            }
            catch (SocketException) { } // taken
        }
        return chosen.Count == count ? [.. chosen] : throw new InvalidOperationException($"No {count} free ports between {From} and {ephemeralStart}.");
    }

    // Linux: /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999"); elsewhere IANA's 49152.
    private static int EphemeralStart()
    {
        try { return int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return 49152; }
    }
}
