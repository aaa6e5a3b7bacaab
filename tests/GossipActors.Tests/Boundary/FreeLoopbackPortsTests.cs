using System.Net;
using System.Net.Sockets;
using GossipActors.Boundary;
using Xunit;

namespace GossipActors.Tests.Boundary;

public class FreeLoopbackPortsTests
{
    private static int EphemeralStart() =>
        File.Exists("/proc/sys/net/ipv4/ip_local_port_range")
            ? int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0])
            : 49152;

    [Fact]
    public void Ports_come_from_below_the_ephemeral_range_where_outbound_connections_never_take_them()
    {
        var start = EphemeralStart();
        Assert.All(FreeLoopbackPorts.Take(20), port => Assert.InRange(port, 1024, start - 1));
    }

    [Fact]
    public void A_port_is_never_handed_out_twice_and_each_can_be_bound()
    {
        var ports = FreeLoopbackPorts.Take(50).Concat(Enumerable.Range(0, 50).Select(_ => FreeLoopbackPorts.Next())).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        foreach (var port in ports.Take(5))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void A_handed_out_port_is_reserved_against_other_processes_by_an_exclusive_file_lock()
    {
        var port = FreeLoopbackPorts.Next();
        var lockFile = Path.Combine(Path.GetTempPath(), "gossipactors-ports", port + ".lock");
        Assert.Throws<IOException>(() => new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
    }

    [Fact]
    public void A_port_something_listens_on_is_skipped()
    {
        var first = FreeLoopbackPorts.Next();
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            squatter.Bind(new IPEndPoint(IPAddress.Loopback, first + 1));
            squatter.Listen(1);
        }
        catch (SocketException)
        {
            // Something else already listens there: the port is taken all the same.
        }
        // The cursor walks upward: the next candidate is first + 1, which is taken, so it is passed over.
        Assert.NotEqual(first + 1, FreeLoopbackPorts.Next());
    }
}
