using Akka.Actor;
using Akka.Cluster;
using GossipActors.Boundary;
using GossipActors.Channels;
using GossipActors.IntegrationTests.Remoting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Serialization;
using Xunit;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// Actor-level attacks by a node of another organisation that holds a valid TLS certificate (so it passes TLS and
/// reaches the gossip endpoint): PoisonPill, Kill, Identify and selections to every well-known path, system messages
/// (watch, remote deployment) and frames under every serializer id. The target keeps its actors, its membership view
/// and its gossip.
/// </summary>
public sealed class HostileNodeSpec : HostileNodeBase
{
    private static readonly string[] PeerPaths =
    [
        "/user/peer", "/user/peer/comm", "/user/peer/membership", "/user/peer/" + ChannelOptions.ActorNameOf(Channel),
    ];

    private static readonly string[] OtherPaths =
    [
        "/", "/user", "/system", "/system/endpointManager", "/system/transports", "/system/remote-watcher",
        "/system/remoting-terminator", "/system/deadLetterListener", "/system/log1-DefaultLogger", "/remote",
    ];

    /// <summary>Every id Akka or we register anywhere, a few nobody does, each with a hostile manifest and bytes.</summary>
    private static readonly HostileFrame[] Frames =
    [
        new(1, "System.Diagnostics.Process, System.Diagnostics.Process", "{\"$type\":\"System.Diagnostics.Process, System.Diagnostics.Process\"}"u8.ToArray()),
        new(2, "System.Diagnostics.Process, System.Diagnostics.Process", [0x0A, 0x03, 0x61, 0x62, 0x63]),
        new(3, "", [0x0A, 0xFF, 0xFF, 0xFF, 0x0F]),
        new(4, "", new byte[1024]),
        new(5, "GossipActors.Never, GossipActors", [0x01, 0x02]),
        new(6, "", [0x0A, 0x02, 0x08, 0x01, 0x12, 0x05]),
        new(16, "K", []),
        new(16, "PP", []),
        new(16, "CF", "akka.actor.provider = local"u8.ToArray()),
        new(16, "STF", [0x0A, 0x01]),
        new(17, "S", "hello"u8.ToArray()),
        new(22, "DWN", [0x0A, 0x02]),
        new(36, "a", [0x01]),
        new(-5, "", HyperionBytes.Unrestricted(new FileInfo("/etc/passwd"))),
        new(701, "E", [0xFF, 0xFF, 0xFF]),
        new(701, "System.Object", [0x00]),
        new(702, "", [0x01]),
        new(12345, "x", [0x01]),
    ];

    [Fact]
    public void A_node_of_another_org_with_a_valid_certificate_can_stop_watch_deploy_or_deafen_nothing()
    {
        var (portA, portB, orgA, orgB) = (LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next());
        var target = StartPeer("peer0.org1", portA, [portA], orgA, [orgA]);
        var buddy = StartPeer("peer1.org1", portB, [portA], orgB, [orgA]);
        AwaitAlive(target, buddy, TimeSpan.FromSeconds(30));
        AwaitAlive(buddy, target, TimeSpan.FromSeconds(30));
        var buddyBefore = View(target).Alive.Single().Sequence;

        var attacker = StartAttacker("gossip", Tls.Node("Org2", "peer0.org2"));
        var address = GossipAddress(target);
        var identities = CreateTestProbe(attacker);
        var provider = ((ExtendedActorSystem)attacker).Provider;

        // The attacker passes TLS: comm, the one trusted selection path, answers its Identify.
        attacker.ActorSelection(new RootActorPath(address) / "user" / "peer" / "comm").Tell(new Identify("probe"), identities.Ref);
        Assert.NotNull(identities.ExpectMsg<ActorIdentity>(Dilated(TimeSpan.FromSeconds(20))).Subject);

        foreach (var path in PeerPaths.Concat(OtherPaths))
        {
            var full = address + path;
            var selection = attacker.ActorSelection(full);
            selection.Tell(PoisonPill.Instance);
            selection.Tell(Kill.Instance);
            selection.Tell(new Identify("selection " + path), identities.Ref);
            var direct = provider.ResolveActorRef(full);
            direct.Tell(PoisonPill.Instance);
            direct.Tell(Kill.Instance);
            direct.Tell(new Identify("direct " + path), identities.Ref); // answered by an actor that exists: paths are no secret
            foreach (var frame in Frames)
            {
                direct.Tell(frame);
            }
        }
        // Of the selections, only comm's (the one trusted path) is delivered; every other is dropped. (A selection of "/"
        // has no path elements: Akka sends it to the root directly, like the direct sends, and the root answers Identify.)
        // Collect until comm's answer to its selection has come (under load it has taken more than 15 s).
        var answered = new List<ActorIdentity>();
        var deadline = DateTime.UtcNow + Dilated(TimeSpan.FromSeconds(60));
        while (!answered.Any(a => (string)a.MessageId == "selection /user/peer/comm") && DateTime.UtcNow < deadline)
        {
            if (identities.ReceiveOne(TimeSpan.FromTicks(Math.Max(1, (deadline - DateTime.UtcNow).Ticks))) is ActorIdentity identity)
            {
                answered.Add(identity);
            }
        }

        // System messages: a watch from an attacker's actor, and a remote deployment onto the target. Only now: the
        // target refuses a system message by dropping the association, and an answer still on its way back (comm's,
        // late under load) would be lost with it.
        var watcher = CreateTestProbe(attacker);
        watcher.Watch(provider.ResolveActorRef(address + "/user/peer"));
        var implant = attacker.ActorOf(Props.Create(() => new Implant()).WithDeploy(Deploy.None.WithScope(new RemoteScope(address))), "implant");
        implant.Tell(new Identify("implant"), identities.Ref);
        // 5 s more for any late answer from an actor that should not have answered, and the implant's.
        answered.AddRange(identities.ReceiveWhile(Dilated(TimeSpan.FromSeconds(5)), m => (ActorIdentity)m));
        var bySelection = answered.Where(a => ((string)a.MessageId).StartsWith("selection ", StringComparison.Ordinal) && (string)a.MessageId != "selection /").ToList();
        Assert.Equal("selection /user/peer/comm", Assert.Single(bySelection).MessageId);
        Assert.NotNull(bySelection[0].Subject);
        // A refused deployment is answered either with no subject or with Nobody (how an absent subject crosses the wire
        // depends on which side answers); neither is an actor on the target.
        Assert.DoesNotContain(answered, a => (string)a.MessageId == "implant" && a.Subject is not null && !a.Subject.IsNobody());

        // The target is intact: actors alive, its org cluster up, and gossip goes on (the buddy's alive sequence grows).
        Assert.False(target.System.WhenTerminated.IsCompleted);
        Assert.All(PeerPaths, path => Assert.True(IsAlive(target, path), path + " should be alive"));
        Assert.Contains(Cluster.Get(target.OrgSystem!).State.Members, m => m.Status == MemberStatus.Up);
        AwaitAssert(() => Assert.True(View(target).Alive.Single().Sequence > buddyBefore, "gossip from the buddy should keep arriving"),
            Dilated(TimeSpan.FromSeconds(20)), TimeSpan.FromMilliseconds(250));
        AwaitAlive(buddy, target, TimeSpan.FromSeconds(10));
        Assert.Empty(View(target).Dead);

        // Each refused frame was counted by the target's gossip system, by serializer and reason, and shows in /metrics.
        var refusals = BoundaryRefusals.For(target.System);
        AwaitAssert(() =>
        {
            Assert.True(refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.Malformed) >= 1, "gossip-wire Malformed");
            Assert.True(refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.UnknownManifest) >= 1, "gossip-wire UnknownManifest");
            Assert.True(refusals.Frames(BoundaryMiscSerializer.Name, FrameRefusal.DisallowedType) >= 4, "akka-misc DisallowedType (K, PP, CF, STF)");
            Assert.True(refusals.Frames("refused-1", FrameRefusal.DisallowedSerializer) >= 1, "JSON (1) DisallowedSerializer");
            Assert.True(refusals.Frames(UnboundTypeSerializer.Name, FrameRefusal.DisallowedSerializer) >= 1, "unbound (702) DisallowedSerializer");
        }, Dilated(TimeSpan.FromSeconds(20)), TimeSpan.FromMilliseconds(250));
        var metrics = MetricsText(target);
        Assert.Contains("gossip_comm_frames_refused_total{listener=\"gossip\",serializer=\"gossip-wire\",reason=\"UnknownManifest\"}", metrics);
        Assert.Contains("gossip_comm_frames_refused_total{listener=\"gossip\",serializer=\"akka-misc\",reason=\"DisallowedType\"}", metrics);
    }
}
