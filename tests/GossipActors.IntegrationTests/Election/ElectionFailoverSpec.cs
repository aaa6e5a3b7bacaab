using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Delivery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Ordering;
using Xunit;

namespace GossipActors.IntegrationTests.Election;

/// <summary>
/// An orderer and three Org1 peers with dynamic election, each its own actor system over real Akka.Remote on
/// loopback (org cluster on): exactly one peer leads and delivers; when the leader's actor system stops, exactly one
/// of the others takes over and the blocks submitted afterwards reach both survivors through it.
/// </summary>
public sealed class ElectionFailoverSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "ch";
    private readonly OrderingNetwork _network = new(Channel, "Org1");

    public ElectionFailoverSpec() : base("akka.test.timefactor = 2")
    {
    }

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        base.Dispose(disposing);
    }

    private OrdererNode StartOrderer(int port) => _network.Ordering.Start(port);

    private void StartPeers(int ordererPort, int count)
    {
        var factory = _network.Peers.Factory;
        var ports = Enumerable.Range(0, count).Select(_ => LoopbackPorts.Next()).ToArray();
        for (var i = 0; i < count; i++)
        {
            var hocon = $$"""
                peer.tls.enabled = false
                peer.gossip.useLeaderElection = true
                peer.gossip.orgLeader = false
                peer.gossip.election { startupGracePeriod = 4s, membershipSampleInterval = 400ms, leaderAliveThreshold = 3s, leaderElectionDuration = 1500ms }
                peer.deliveryclient { connTimeout = 1s, reConnectBackoffThreshold = 1s }
                peer.channels = [{ name = "{{Channel}}", orgs = ["Org1"], orderers = ["127.0.0.1:{{ordererPort}}"], ordererOrg = "OrdererOrg" }]
                """;
            _network.Peers.Add(factory.Start($"peer{i}.org1", ports[i], [ports[0]], extraHocon: hocon));
        }
    }

    private Task<BroadcastReport> Submit(int port, int count) => _network.Client.Submit(port, Channel, count);

    private static ChannelStatus Status(PeerNode peer) => peer.Peer.Ask<ChannelStatus>(new GetChannelStatus(Channel), TimeSpan.FromSeconds(10)).Result;

    private static DeliveryStatus Delivery(PeerNode peer) => peer.Peer.Ask<DeliveryStatus>(new GetDeliveryStatus(Channel), TimeSpan.FromSeconds(10)).Result;

    private OrdererStatus OrdererState() => _network.Orderer!.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10)).Result;

    /// <summary>Exactly one of <paramref name="peers"/> leads and delivers, every other follows it; returns it.</summary>
    private PeerNode AwaitOneLeader(IReadOnlyList<PeerNode> peers, TimeSpan within)
    {
        PeerNode? leader = null;
        AwaitAssert(() =>
        {
            var statuses = peers.Select(p => (Peer: p, Status: Status(p))).ToList();
            var leaders = statuses.Where(s => s.Status.IsLeader).ToList();
            Assert.True(leaders.Count == 1, $"{leaders.Count} leaders");
            leader = leaders[0].Peer;
            var id = leaders[0].Status.Leader;
            Assert.All(statuses, s => Assert.Equal(id, s.Status.Leader));
            Assert.All(peers, p => Assert.Equal(ReferenceEquals(p, leader), Delivery(p).Active));
        }, Dilated(within), TimeSpan.FromMilliseconds(300));
        return leader!;
    }

    private void AwaitAtOrdererHeight(IReadOnlyList<PeerNode> peers, long accepted, TimeSpan within) =>
        AwaitAssert(() =>
        {
            var orderer = OrdererState();
            Assert.Equal(accepted, orderer.Accepted);
            Assert.Equal(0, orderer.Pending);
            Assert.All(peers, p => Assert.Equal(orderer.Heights[Channel], Status(p).Height));
        }, Dilated(within), TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task When_the_leaders_actor_system_stops_another_peer_leads_and_delivers_the_next_blocks()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = StartOrderer(port);
        StartPeers(port, 3);
        var leader = AwaitOneLeader(_network.Peers.Nodes, TimeSpan.FromSeconds(30));
        var first = await Submit(port, 50);
        Assert.True(first.Accepted == 50, $"accepted {first.Accepted}: {first.Error}");
        AwaitAtOrdererHeight(_network.Peers.Nodes, 50, TimeSpan.FromSeconds(60));

        await _network.Peers.Stop(leader);

        var successor = AwaitOneLeader(_network.Peers.Nodes, TimeSpan.FromSeconds(30));
        var second = await Submit(port, 50);
        Assert.True(second.Accepted == 50, $"accepted {second.Accepted}: {second.Error}");
        AwaitAtOrdererHeight(_network.Peers.Nodes, 100, TimeSpan.FromSeconds(60));
        Assert.True(Delivery(successor).Received > 0, "the new leader pulled the new blocks from the orderer");
    }
}
