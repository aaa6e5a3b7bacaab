using System.Net;
using System.Net.Sockets;

namespace GossipActors.Boundary;

/// <summary>
/// Free loopback ports for listeners that are written into configuration before any node binds them (`network init`,
/// tests). Binding port 0 would hand out a port of the kernel's ephemeral range, which every outbound connection on the
/// machine also draws its local port from: between releasing such a port and the node binding it, any connect() may
/// take it (CI saw a node fail to start on one). These ports come from just below the ephemeral range, where outbound
/// connections never land. Each is checked free by binding it, and reserved with an exclusive lock on a file in the
/// temp folder, held until this process exits, so no two processes (say, two test runs) are handed the same one and
/// this process never hands one out twice.
/// </summary>
public static class FreeLoopbackPorts
{
    private const int SpanBelowEphemeral = 16384;
    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Reservations = [];
    private static readonly HashSet<int> HandedOut = [];
    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "gossipactors-ports");
    private static int _cursor = -1;

    /// <summary>One free port.</summary>
    public static int Next() => Take(1)[0];

    /// <summary><paramref name="count"/> distinct free ports, none handed out before by any process still running.</summary>
    /// <exception cref="InvalidOperationException">The range below the ephemeral ports has no free port left.</exception>
    public static IReadOnlyList<int> Take(int count)
    {
        var (low, high) = Range();
        var ports = new List<int>(count);
        lock (Gate)
        {
            if (_cursor < 0)
            {
                _cursor = low + Random.Shared.Next(high - low);
            }
            for (var tried = 0; ports.Count < count; tried++)
            {
                if (tried == high - low)
                {
                    throw new InvalidOperationException($"no free loopback port left in {low}..{high - 1}");
                }
                var port = _cursor;
                _cursor = _cursor + 1 == high ? low : _cursor + 1;
                if (!HandedOut.Contains(port) && Reserve(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    ports.Add(port);
                }
            }
        }
        return ports;
    }

    /// <summary>[low, high): the ports below the kernel's ephemeral range (Linux reads it; elsewhere it starts at 49152).</summary>
    private static (int Low, int High) Range()
    {
        var ephemeralStart = 49152;
        const string rangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(rangeFile))
        {
            var fields = File.ReadAllText(rangeFile).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && int.TryParse(fields[0], out var start))
            {
                ephemeralStart = start;
            }
        }
        var low = Math.Max(1024, ephemeralStart - SpanBelowEphemeral);
        if (ephemeralStart - low < 256)
        {
            // The ephemeral range starts too low to leave room below it: use the ports above 1024 as they come.
            return (1024, 65536);
        }
        return (low, ephemeralStart);
    }

    private static bool Reserve(int port)
    {
        try
        {
            Directory.CreateDirectory(LockFolder);
            var stream = new FileStream(Path.Combine(LockFolder, port + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            Reservations.Add(stream);
            return true;
        }
        catch (IOException)
        {
            return false; // another process holds it
        }
        catch (UnauthorizedAccessException)
        {
            return true; // no lock folder to share: the bind check alone decides
        }
    }

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(1);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
