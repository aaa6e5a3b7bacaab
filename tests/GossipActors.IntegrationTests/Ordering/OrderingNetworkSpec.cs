using Akka.Actor;
using GossipActors.Boundary;
using GossipActors.Channels;
using GossipActors.Delivery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Ordering;
using Xunit;

namespace GossipActors.IntegrationTests.Ordering;

/// <summary>
/// An orderer and 2 orgs × 2 peers, each its own actor system over real Akka.Remote on loopback, with static
/// leaders: submitted transactions end up in every peer's ledger (equal heights and last hashes), with block gossip
/// (only leaders pull) and without it (every peer pulls); an orderer restart loses nothing and the leaders resume.
/// </summary>
public sealed class OrderingNetworkSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "ch";
    private readonly OrderingNetwork _network = new(Channel, "Org1", "Org2");

    public OrderingNetworkSpec() : base("akka.test.timefactor = 2")
    {
    }

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        base.Dispose(disposing);
    }

    private OrdererNode StartOrderer(int port, bool tls = false) => _network.Ordering.Start(port, tls ? _network.Peers.Tls.Node("OrdererOrg", "orderer0") : null);

    /// <summary>Two orgs of two peers; peer0 of each org is its static leader.</summary>
    private void StartPeers(int ordererPort, bool blockGossip, bool tls = false)
    {
        foreach (var org in new[] { "Org1", "Org2" })
        {
            var factory = _network.Peers.FactoryOf(org);
            var ports = new[] { LoopbackPorts.Next(), LoopbackPorts.Next() };
            for (var i = 0; i < 2; i++)
            {
                var hocon = $$"""
                    peer.tls.enabled = {{(tls ? "true" : "false")}}
                    peer.gossip.useLeaderElection = false
                    peer.gossip.orgLeader = {{(i == 0 ? "true" : "false")}}
                    peer.deliveryclient { blockGossipEnabled = {{(blockGossip ? "true" : "false")}}, connTimeout = 1s, reConnectBackoffThreshold = 1s }
                    peer.channels = [{ name = "{{Channel}}", orgs = ["Org1", "Org2"], orderers = ["127.0.0.1:{{ordererPort}}"], ordererOrg = "OrdererOrg" }]
                    """;
                _network.Peers.Add(factory.Start($"peer{i}.{org.ToLowerInvariant()}", ports[i], [ports[0]], extraHocon: hocon));
            }
        }
        AwaitChannelViews();
    }

    /// <summary>
    /// Waits until every peer has the other peer of its org in its channel view (its state info; no external endpoints
    /// here, so state info stays within each org): blocks travel only to peers in the view, and a peer that misses the
    /// first blocks before the others' stores forget them has no state transfer yet to catch up with.
    /// </summary>
    private void AwaitChannelViews() =>
        AwaitAssert(() => Assert.All(_network.Peers.Nodes, p => Assert.Contains(Status(p).Peers, other => other.Org == p.Settings.LocalMspId)),
            Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

    private Task<BroadcastReport> Submit(int port, int count, bool tls = false) => _network.Client.Submit(port, Channel, count, tls);

    private static ChannelStatus Status(PeerNode peer) => peer.Peer.Ask<ChannelStatus>(new GetChannelStatus(Channel), TimeSpan.FromSeconds(10)).Result;

    private static DeliveryStatus Delivery(PeerNode peer) => peer.Peer.Ask<DeliveryStatus>(new GetDeliveryStatus(Channel), TimeSpan.FromSeconds(10)).Result;

    private OrdererStatus OrdererState() => _network.Orderer!.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10)).Result;

    /// <summary>Waits until the orderer has cut every accepted transaction and every peer has its whole chain.</summary>
    private ulong AwaitEveryPeerAtTheOrderersHeight(long accepted, TimeSpan within)
    {
        ulong height = 0;
        AwaitAssert(() =>
        {
            var orderer = OrdererState();
            Assert.Equal(accepted, orderer.Accepted);
            Assert.Equal(0, orderer.Pending);
            height = orderer.Heights[Channel];
            var statuses = _network.Peers.Nodes.Select(Status).ToList();
            Assert.All(statuses, s => Assert.Equal(height, s.Height));
            Assert.Single(statuses.Select(s => s.LastBlockHash).Distinct());
        }, Dilated(within), TimeSpan.FromMilliseconds(500));
        return height;
    }

    [Fact]
    public async Task Two_hundred_transactions_reach_every_peers_ledger_through_the_org_leaders_and_gossip()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = StartOrderer(port, tls: true);
        StartPeers(port, blockGossip: true, tls: true);

        var report = await Submit(port, 200, tls: true);

        Assert.Null(report.Error);
        Assert.Equal(200, report.Accepted);
        var height = AwaitEveryPeerAtTheOrderersHeight(200, TimeSpan.FromSeconds(60));
        Assert.True(height >= 20, $"200 transactions in blocks of at most 10 make at least 20 blocks, got {height}");
        // Only the leaders pulled; the other peers got every block by gossip.
        Assert.All(_network.Peers.Nodes, p => Assert.Equal(p.Settings.Election.OrgLeader, Delivery(p).Active));
        Assert.All(_network.Peers.Nodes.Where(p => !p.Settings.Election.OrgLeader), p => Assert.True(Status(p).Counters.FullCopiesReceived > 0));
        Assert.All(_network.Peers.Nodes, p => Assert.Equal(0, Status(p).Counters.BadBlocks));
    }

    [Fact]
    public async Task With_block_gossip_off_every_peer_pulls_from_the_orderer_and_no_block_is_gossiped()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = StartOrderer(port);
        StartPeers(port, blockGossip: false);

        var report = await Submit(port, 200);

        Assert.Equal(200, report.Accepted);
        var height = AwaitEveryPeerAtTheOrderersHeight(200, TimeSpan.FromSeconds(60));
        Assert.All(_network.Peers.Nodes, p =>
        {
            var delivery = Delivery(p);
            Assert.True(delivery.Active);
            Assert.Equal((long)height, delivery.Received);
            Assert.Equal((long)height, Status(p).OrdererBlocksReceived); // counted (gossip_channel_orderer_blocks_received_total)
            var counters = Status(p).Counters;
            Assert.Equal(0, counters.FullCopiesReceived);
            Assert.Equal(0, counters.DigestsReceived);
        });
    }

    [Fact]
    public async Task After_an_orderer_restart_the_leaders_reconnect_and_resume_at_their_height_and_nothing_accepted_is_lost()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = StartOrderer(port);
        StartPeers(port, blockGossip: true);
        var first = await Submit(port, 100);
        Assert.True(first.Accepted == 100, $"accepted {first.Accepted}: {first.Error}");
        var before = AwaitEveryPeerAtTheOrderersHeight(100, TimeSpan.FromSeconds(60));

        await _network.Orderer.DisposeAsync();
        _network.Orderer = StartOrderer(port);
        // A new client, as a new `gossip-node submit` process would be: the old one's link to the dead orderer is gated.
        await _network.Client.Reconnect();
        var report = await Submit(port, 100);

        Assert.True(report.Accepted == 100, $"accepted {report.Accepted} after the restart: {report.Error}");
        var after = AwaitEveryPeerAtTheOrderersHeight(100, TimeSpan.FromSeconds(90));
        Assert.True(after >= before + 10, $"height {before} before the restart, {after} after");
        Assert.All(_network.Peers.Nodes.Where(p => p.Settings.Election.OrgLeader), p => Assert.True(Delivery(p).Reconnects >= 1));
    }

    [Fact]
    public async Task A_hostile_node_with_a_valid_tls_certificate_cannot_stop_the_orderer_nor_reach_its_system_actors()
    {
        var port = LoopbackPorts.Next();
        _network.Orderer = StartOrderer(port, tls: true);
        Watch(_network.Orderer.Orderer);
        using var hostile = OrdererClient.ClientSystem(_network.Peers.Tls, "hostile", tls: true);
        var orderer = hostile.ActorSelection(OrdererClient.OrdererPath(port, tls: true));
        var identify = CreateTestProbe(hostile);

        orderer.Tell(new Identify("orderer"), identify.Ref);
        orderer.Tell(PoisonPill.Instance);
        orderer.Tell(Kill.Instance);
        var root = BoundaryConfig.AddressOf($"127.0.0.1:{port}", OrdererNode.SystemName, "akka.trttl.ssl.tcp");
        foreach (var path in new[] { "/system", "/system/remote-watcher", "/system/endpointManager", "/system/deadLetterListener", "/user" })
        {
            var selection = hostile.ActorSelection(root + path);
            selection.Tell(new Identify(path), identify.Ref);
            selection.Tell(PoisonPill.Instance);
            selection.Tell(Kill.Instance);
        }
        // Whatever answered, the orderer still runs and still accepts broadcasts.
        var report = await Submit(port, 5, tls: true);

        Assert.Null(report.Error);
        Assert.Equal(5, report.Accepted);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no Terminated for the watched orderer
        Assert.Equal(5, OrdererState().Accepted);
        var answers = identify.ReceiveWhile(TimeSpan.FromSeconds(2), m => (ActorIdentity)m);
        // A refused selection may be answered with no subject or with Nobody; only a real actor other than the orderer fails.
        Assert.All(answers, a => Assert.True(a.Subject is null or Nobody || a.MessageId as string == "orderer",
            $"{a.MessageId} resolved to {a.Subject}: only /user/orderer may be selected"));
    }
}
