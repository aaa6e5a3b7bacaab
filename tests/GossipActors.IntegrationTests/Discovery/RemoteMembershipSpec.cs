using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.Remote.Transport;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Discovery;

/// <summary>Peers as separate actor systems over real Akka.Remote on loopback, in one org (one Akka cluster).</summary>
public sealed class RemoteMembershipSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly RemotePeers _peers = new();

    public RemoteMembershipSpec() : base("akka.test.timefactor = 2")
    {
    }

    protected override void Dispose(bool disposing)
    {
        _peers.Dispose();
        base.Dispose(disposing);
    }

    private PeerNode Start(string name, int port, IReadOnlyList<int> bootstrap, NodeIdentity? identity = null, int orgPort = 0, IReadOnlyList<int>? orgBootstrap = null) =>
        _peers.Add(_peers.Factory.Start(name, port, bootstrap, identity, orgPort, orgBootstrap));

    private static MembershipSnapshot View(PeerNode node) =>
        node.Peer.Ask<MembershipSnapshot>(GetMembership.Instance, TimeSpan.FromSeconds(5)).Result;

    private static ISet<PkiId> Alive(PeerNode node) => View(node).Alive.Select(a => a.PkiId).ToHashSet();

    private static PkiId IdOf(PeerNode node) => View(node).Self.PkiId;

    private static IRemoteActorRefProvider Remoting(PeerNode node) => (IRemoteActorRefProvider)((ExtendedActorSystem)node.System).Provider;

    private static Task<bool> Throttle(PeerNode from, PeerNode to, ThrottleMode mode) =>
        Remoting(from).Transport.ManagementCommand(
            new SetThrottle(Remoting(to).DefaultAddress, ThrottleTransportAdapter.Direction.Both, mode));

    /// <summary>Cuts (or restores) all traffic between two nodes, in both directions, at the transport.</summary>
    private static async Task Cut(PeerNode a, PeerNode b, bool heal = false)
    {
        ThrottleMode mode = heal ? Unthrottled.Instance : Blackhole.Instance;
        Assert.True(await Throttle(a, b, mode));
        Assert.True(await Throttle(b, a, mode));
    }

    private void AwaitFullView(IReadOnlyList<PeerNode> nodes, TimeSpan within)
    {
        var ids = nodes.Select(IdOf).ToList();
        foreach (var node in nodes)
        {
            var self = IdOf(node);
            AwaitAssert(() => Assert.Equal(ids.Where(id => id != self).ToHashSet(), Alive(node)), Dilated(within), TimeSpan.FromMilliseconds(250));
        }
    }

    [Fact]
    public async Task Four_peers_converge_a_blackholed_peer_is_declared_dead_and_comes_back_when_unthrottled()
    {
        var ports = Enumerable.Range(0, 4).Select(_ => LoopbackPorts.Next()).ToArray();
        var nodes = ports.Select((port, i) => Start($"peer{i}.org1", port, [ports[0]])).ToList();
        AwaitFullView(nodes, TimeSpan.FromSeconds(30));

        var victim = nodes[3];
        var victimId = IdOf(victim);
        foreach (var other in nodes.Take(3))
        {
            await Cut(other, victim);
        }
        foreach (var other in nodes.Take(3))
        {
            AwaitAssert(() => Assert.Contains(victimId, View(other).Dead.Select(d => d.PkiId)), Dilated(TimeSpan.FromSeconds(15)), TimeSpan.FromMilliseconds(250));
        }
        AwaitAssert(() => Assert.Empty(View(victim).Alive), Dilated(TimeSpan.FromSeconds(15)), TimeSpan.FromMilliseconds(250)); // and it lost everyone

        foreach (var other in nodes.Take(3))
        {
            await Cut(other, victim, heal: true);
        }
        AwaitFullView(nodes, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_peer_restarted_on_the_same_port_is_a_new_incarnation_and_rejoins_the_org_cluster()
    {
        var (portA, portB) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var (orgA, orgB) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var a = Start("peer0.org1", portA, [portA], orgPort: orgA, orgBootstrap: [orgA]);
        var identityB = _peers.Pki.Peer("Org1", "peer1.org1");
        var b = Start("peer1.org1", portB, [portA], identityB, orgB, [orgA]);
        AwaitFullView([a, b], TimeSpan.FromSeconds(30));
        var firstIncarnation = View(a).Alive.Single().Incarnation;
        var firstUid = Cluster.Get(b.OrgSystem!).SelfUniqueAddress.Uid;

        await _peers.Stop(b);
        var restarted = Start("peer1.org1", portB, [portA], identityB, orgB, [orgA]);

        AwaitAssert(() =>
        {
            var seen = Assert.Single(View(a).Alive);
            Assert.Equal(identityB.PkiId, seen.PkiId);
            Assert.True(seen.Incarnation > firstIncarnation, $"incarnation {seen.Incarnation} should exceed {firstIncarnation}");
        }, Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));

        var newUid = Cluster.Get(restarted.OrgSystem!).SelfUniqueAddress.Uid;
        Assert.NotEqual(firstUid, newUid);
        AwaitAssert(() => Assert.Contains(Cluster.Get(a.OrgSystem!).State.Members,
                m => m.UniqueAddress.Uid == newUid && m.Status == MemberStatus.Up),
            Dilated(TimeSpan.FromSeconds(40)), TimeSpan.FromMilliseconds(500));
    }
}
