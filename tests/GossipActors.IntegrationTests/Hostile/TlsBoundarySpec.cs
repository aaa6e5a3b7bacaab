using Akka.Actor;
using Akka.Cluster;
using GossipActors.Boundary;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// Mutual TLS decides who may connect: a node whose certificate no configured org TLS CA issued exchanges no message;
/// the org cluster takes only the own org; the org's control plane (Hyperion) answers across the org cluster.
/// </summary>
public sealed class TlsBoundarySpec : HostileNodeBase
{
    [Fact]
    public void A_node_whose_TLS_certificate_comes_from_an_unknown_CA_exchanges_no_message_with_the_network()
    {
        var (portA, portB, portX) = (LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next());
        var target = StartPeer("peer0.org1", portA, [portA], 0, []);
        var buddy = StartPeer("peer1.org1", portB, [portA], 0, []);
        // A peer of Org1 with a valid signing identity, but TLS from a CA nobody configured. It accepts our CAs, so
        // only the network's side can refuse it.
        var stranger = StartPeer("peer2.org1", portX, [portA, portB], 0, [], TestTlsPki.Stranger(Tls.CaCertificates));
        var attacker = StartAttacker("stranger", TestTlsPki.Stranger(Tls.CaCertificates));
        var control = StartAttacker("org2", Tls.Node("Org2", "peer0.org2"));
        var identities = CreateTestProbe(attacker);
        var controlIdentities = CreateTestProbe(control);
        var comm = new RootActorPath(GossipAddress(target)) / "user" / "peer" / "comm";

        AwaitAlive(target, buddy, TimeSpan.FromSeconds(30));
        control.ActorSelection(comm).Tell(new Identify("control"), controlIdentities.Ref); // a known CA gets through
        Assert.NotNull(controlIdentities.ExpectMsg<ActorIdentity>(Dilated(TimeSpan.FromSeconds(20))).Subject);
        attacker.ActorSelection(comm).Tell(new Identify("stranger"), identities.Ref);

        // Its own transport may answer "nobody there" (the association failed); the target never answers.
        var answers = identities.ReceiveWhile(Dilated(TimeSpan.FromSeconds(5)), m => (ActorIdentity)m);
        Assert.All(answers, a => Assert.Null(a.Subject));
        // The stranger keeps running (its refused handshakes end those connections only: OutboundTlsFailureGuard) and
        // knows nobody.
        Assert.False(stranger.System.WhenTerminated.IsCompleted, "the stranger's gossip system terminated");
        var strangerView = View(stranger);
        var strangerId = strangerView.Self.PkiId;
        Assert.Empty(strangerView.Alive);
        Assert.DoesNotContain(strangerId, View(target).Alive.Concat(View(target).Dead).Select(a => a.PkiId));
        Assert.DoesNotContain(strangerId, View(buddy).Alive.Concat(View(buddy).Dead).Select(a => a.PkiId));

        // The target counted the refused handshakes by reason, and /metrics shows them.
        AwaitAssert(() => Assert.True(BoundaryRefusals.For(target.System).Tls(TlsRefusal.UnknownCa) >= 1),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));
        Assert.Contains("gossip_comm_tls_handshakes_refused_total{listener=\"gossip\",reason=\"UnknownCa\"}", MetricsText(target));
    }

    [Fact]
    public void The_org_cluster_takes_a_peer_of_its_own_org_and_refuses_a_peer_of_another_org()
    {
        var ports = Enumerable.Range(0, 6).Select(_ => LoopbackPorts.Next()).ToArray();
        var target = StartPeer("peer0.org1", ports[0], [ports[0]], ports[1], [ports[1]]);
        var sameOrg = StartPeer("peer1.org1", ports[2], [ports[0]], ports[3], [ports[1]]);
        var otherOrgFactory = new RemotePeerFactory(Pki, Tls, "Org2");
        var otherOrg = StartPeer("peer0.org2", ports[4], [ports[4]], ports[5], [ports[1]], factory: otherOrgFactory);

        var cluster = Cluster.Get(target.OrgSystem!);
        AwaitAssert(() => Assert.Equal(2, cluster.State.Members.Count(m => m.Status == MemberStatus.Up)),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));
        var otherAddress = Cluster.Get(otherOrg.OrgSystem!).SelfAddress;

        // The other org's node keeps trying to join (its seed is our org cluster) for several join rounds; never let in.
        ExpectNoMsg(Dilated(TimeSpan.FromSeconds(6)));
        Assert.DoesNotContain(cluster.State.Members, m => m.Address.Equals(otherAddress));
        Assert.Equal(2, cluster.State.Members.Count);
        Assert.DoesNotContain(Cluster.Get(otherOrg.OrgSystem!).State.Members, m => m.Address.Equals(cluster.SelfAddress));
        Assert.NotNull(sameOrg);
    }

    [Fact]
    public async Task The_org_status_query_crosses_the_org_cluster_as_a_Hyperion_control_plane_record()
    {
        var ports = Enumerable.Range(0, 4).Select(_ => LoopbackPorts.Next()).ToArray();
        var target = StartPeer("peer0.org1", ports[0], [ports[0]], ports[1], [ports[1]]);
        var buddy = StartPeer("peer1.org1", ports[2], [ports[0]], ports[3], [ports[1]]);
        AwaitAlive(target, buddy, TimeSpan.FromSeconds(30));
        AwaitAssert(() => Assert.Equal(2, Cluster.Get(target.OrgSystem!).State.Members.Count(m => m.Status == MemberStatus.Up)),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));

        var status = await target.OrgStatus!.Ask<OrgStatus>(new GetOrgStatus(Dilated(TimeSpan.FromSeconds(10))), Dilated(TimeSpan.FromSeconds(30)));

        Assert.Empty(status.Unanswered);
        Assert.Equal(["peer0.org1", "peer1.org1"], status.Peers.Select(p => p.Id));
        var remote = status.Peers.Single(p => p.Id == "peer1.org1");
        Assert.Equal(("Org1", RemotePeerFactory.Endpoint(ports[2]), View(buddy).Self.PkiId.ToHex(), 1), (remote.MspId, remote.Endpoint, remote.PkiId, remote.AlivePeers));
        var serializer = target.OrgSystem!.Serialization.FindSerializerFor(new PeerStatusQuery());
        Assert.IsAssignableFrom<Akka.Serialization.HyperionSerializer>(serializer);
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => target.System.Serialization.FindSerializerFor(new PeerStatusQuery()).ToBinary(new PeerStatusQuery()));
    }
}
