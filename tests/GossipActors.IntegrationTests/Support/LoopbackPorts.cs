using System.Net;
using System.Net.Sockets;

namespace GossipActors.IntegrationTests.Support;

/// <summary>Free loopback ports, allocated per test by binding port 0 and releasing it.</summary>
public static class LoopbackPorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
