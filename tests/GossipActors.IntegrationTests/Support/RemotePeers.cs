using GossipActors.Hosting;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// The peers one spec runs over real Akka.Remote, with the PKIs they share. <see cref="Add"/> keeps a started peer;
/// <see cref="StopAll"/> stops the kept peers (20 s each at most) and deletes this run's peer ledgers;
/// <see cref="Dispose"/> does that too, then disposes the PKIs (their keys), so it comes after every node that signs
/// with them (an orderer too) has stopped.
/// </summary>
public sealed class RemotePeers : IDisposable
{
    private readonly List<PeerNode> _nodes = [];

    public RemotePeers() => Factory = new RemotePeerFactory(Pki, Tls);

    public TestPki Pki { get; } = new();
    public TestTlsPki Tls { get; } = new();

    /// <summary>Starts Org1 peers.</summary>
    public RemotePeerFactory Factory { get; }

    /// <summary>The kept peers, in the order they were added.</summary>
    public IReadOnlyList<PeerNode> Nodes => _nodes;

    /// <summary>A factory of <paramref name="org"/>'s peers with these PKIs.</summary>
    public RemotePeerFactory FactoryOf(string org) => new(Pki, Tls, org);

    /// <summary>Keeps <paramref name="node"/>, to be stopped with the others; returns it.</summary>
    public PeerNode Add(PeerNode node)
    {
        _nodes.Add(node);
        return node;
    }

    /// <summary>Stops <paramref name="node"/> now; it is no longer kept.</summary>
    public async Task Stop(PeerNode node)
    {
        await node.DisposeAsync();
        _nodes.Remove(node);
    }

    public void StopAll()
    {
        foreach (var node in _nodes)
        {
            node.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
        }
        _nodes.Clear();
        RemotePeerFactory.DeleteLedgers();
    }

    public void Dispose()
    {
        StopAll();
        Pki.Dispose();
        Tls.Dispose();
    }
}
