using System.Net;
using System.Net.Sockets;

namespace GossipActors.Boundary;

/// <summary>A listener's address is already bound by another socket (another node, or anything else).</summary>
public sealed class ListenerInUseException(string key, string endpoint, string detail)
    : Exception($"{key} = \"{endpoint}\": the port is already in use ({detail}); stop what listens there or choose another port.")
{
    public string Key { get; } = key;
    public string Endpoint { get; } = endpoint;
}

/// <summary>
/// Refuses to start a listener on a port that something already listens on. Akka's transport binds with
/// SO_REUSEADDR, which .NET on Linux and macOS turns into SO_REUSEPORT as well: a second node with the same
/// configuration would bind beside the first and take a share of its connections. This check binds the address
/// once, exclusively (SO_REUSEADDR only, set natively, so sockets in TIME_WAIT from a previous run do not block it),
/// and releases it; the listener then binds for real.
/// </summary>
public static class ListenerCheck
{
    private const int SolSocket = 1; // Linux SOL_SOCKET
    private const int SoReuseAddr = 2; // Linux SO_REUSEADDR

    /// <exception cref="ListenerInUseException">The port is in use; the message names the key and the endpoint.</exception>
    public static void EnsureFree(string key, string endpoint)
    {
        var (host, port) = Comm.HostPort.Parse(endpoint);
        if (port == 0)
        {
            return; // any free port: the kernel picks an unused one
        }
        foreach (var address in Resolve(host))
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            else
            {
                socket.ExclusiveAddressUse = OperatingSystem.IsWindows();
            }
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(1);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new ListenerInUseException(key, endpoint, ex.SocketErrorCode == SocketError.AccessDenied ? "access denied" : "address already in use");
            }
        }
    }

    private static IEnumerable<IPAddress> Resolve(string host) =>
        IPAddress.TryParse(host, out var ip) ? [ip] : Dns.GetHostAddresses(host).Take(1);
}
