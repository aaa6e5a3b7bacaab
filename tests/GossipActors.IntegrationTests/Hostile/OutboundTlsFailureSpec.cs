using System.Net;
using System.Net.Sockets;
using GossipActors.Boundary;
using GossipActors.IntegrationTests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// A TLS handshake that a peer starts and that fails ends that connection only: Akka.Remote's own reaction, a
/// coordinated shutdown of the whole system, is refused (<see cref="OutboundTlsFailureGuard"/>). Otherwise anyone
/// who accepts TCP connections at an address a peer dials (a bootstrap endpoint here) would stop the peer.
/// </summary>
public sealed class OutboundTlsFailureSpec : HostileNodeBase
{
    [Fact]
    public async Task A_peer_keeps_running_when_the_listener_it_dials_closes_the_connection_in_the_TLS_handshake()
    {
        var (portTrap, portPeer) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        using var trap = new ClosingListener(portTrap);
        var peer = StartPeer("peer0.org1", portPeer, [portTrap], 0, []);

        // The peer dials its bootstrap, the trap closes each connection in the handshake; a second connection comes
        // only after Akka's gate on the failed address (5 s), so the peer outlived the first failure.
        AwaitAssert(() => Assert.True(trap.Handshakes >= 2, $"handshakes closed: {trap.Handshakes}"),
            Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(250));
        Assert.False(peer.System.WhenTerminated.IsCompleted, "the gossip system terminated after a failed outbound TLS handshake");
        Assert.Equal("Org1", View(peer).Self.Org); // the membership actor still answers
        AwaitAssert(() => Assert.True(BoundaryRefusals.For(peer.System).OutboundTlsFailures >= 1),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));
        Assert.Contains("gossip_comm_tls_outbound_handshakes_failed_total{listener=\"gossip\"}", MetricsText(peer));

        // After a refused shutdown the peer still stops when asked, and releases its port.
        await peer.DisposeAsync().AsTask().WaitAsync(Dilated(TimeSpan.FromSeconds(30)));
        Assert.True(peer.System.WhenTerminated.IsCompleted);
        ListenerCheck.EnsureFree("peer.address", RemotePeerFactory.Endpoint(portPeer));
    }

    /// <summary>Accepts TCP connections on 127.0.0.1 and closes each once its first bytes (a ClientHello) arrive, counting them.</summary>
    private sealed class ClosingListener : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private int _handshakes;

        public ClosingListener(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = Task.Run(AcceptLoop);
        }

        public int Handshakes => Volatile.Read(ref _handshakes);

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                using (client)
                {
                    try
                    {
                        // Wait for the ClientHello, so the connection is closed in the handshake (not before the TLS
                        // handler started, which fails the connection another way), then close it gracefully.
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(30));
                        if (await client.GetStream().ReadAsync(new byte[512], timeout.Token) > 0)
                        {
                            Interlocked.Increment(ref _handshakes);
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException)
                    {
                        // Not a handshake that reached us: not counted.
                    }
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
