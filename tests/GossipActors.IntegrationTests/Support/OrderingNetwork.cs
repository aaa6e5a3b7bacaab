using GossipActors.Ordering;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// What the specs of an orderer and its peers share: the peers and their PKIs (<see cref="RemotePeers"/>), a solo
/// orderer of one channel to start (<see cref="Ordering"/>), the running one (<see cref="Orderer"/>, set by the spec)
/// and a client that submits to it. <see cref="Dispose"/> stops the peers, then the orderer (20 s at most) and the
/// client, deletes the orderer's ledger, and disposes the PKIs last (the orderer signs with them until it stops).
/// </summary>
public sealed class OrderingNetwork : IDisposable
{
    public OrderingNetwork(string channel, params string[] orgs)
    {
        Ordering = new TestOrderer(Peers.Pki, channel, orgs);
        Client = new OrdererClient(Peers.Pki, Peers.Tls);
    }

    public RemotePeers Peers { get; } = new();
    public TestOrderer Ordering { get; }
    public OrdererClient Client { get; }
    public OrdererNode? Orderer { get; set; }

    public void Dispose()
    {
        Peers.StopAll();
        Orderer?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
        Client.Dispose();
        Ordering.Dispose();
        Peers.Dispose();
    }
}
