using System.Net;
using System.Net.Sockets;

namespace GossipActors.Node.Network;

/// <summary>Free loopback ports: all bound at once (so they are distinct), then released for the nodes to bind.</summary>
internal static class FreeLoopbackPorts
{
    public static IReadOnlyList<int> Take(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
