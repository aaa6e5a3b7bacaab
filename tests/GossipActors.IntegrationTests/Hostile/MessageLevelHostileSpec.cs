using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.IntegrationTests.Support;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;
using WirePeerTime = GossipActors.Protocol.Wire.PeerTime;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>
/// Message-level attacks over real Akka.Remote: a hostile actor system holding valid certificates of another org and
/// of the target's own org sends malformed, spoofed, replayed and flooding traffic to a peer's comm actor, while an
/// honest peer of the target's org keeps injecting blocks. The target must keep its view, keep delivering blocks,
/// count each rejection by reason, and keep every structure that remote input can grow within its configured bound.
/// </summary>
public sealed class MessageLevelHostileSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "ch1";
    private const int MaxConnections = 32;
    private const int MaxSessions = 64;
    private const int MaxIdentitiesPerOrg = 20;
    private const int RecvBuffSize = 20;

    // TLS off: the hostile node holds valid certificates of an org (Org2) and of our org, which TLS admits anyway;
    // TlsBoundarySpec covers what TLS refuses. What is tested here is what comm does with admitted traffic.
    private static readonly string Bounds = $$"""
        peer.tls.enabled = false
        peer.channels = [{ name = "{{Channel}}", orgs = ["Org1"], ordererOrg = "OrdererOrg" }]
        peer.gossip.recvBuffSize = {{RecvBuffSize}}
        peer.gossip.comm { maxConnections = {{MaxConnections}}, maxSessions = {{MaxSessions}}, maxIdentitiesPerOrg = {{MaxIdentitiesPerOrg}} }
        """;

    private readonly RemotePeers _peers = new();
    private readonly TestPki _pki;
    private readonly NodeIdentity _orderer;
    private ActorSystem? _hostile;

    public MessageLevelHostileSpec() : base("akka.test.timefactor = 2")
    {
        _pki = _peers.Pki;
        _orderer = _pki.Orderer();
    }

    protected override void Dispose(bool disposing)
    {
        _hostile?.Terminate().Wait(TimeSpan.FromSeconds(20));
        _peers.Dispose();
        base.Dispose(disposing);
    }

    private PeerNode Start(string name, int port, int bootstrap) =>
        _peers.Add(_peers.Factory.Start(name, port, [bootstrap], extraHocon: Bounds));

    private static T Ask<T>(PeerNode node, object message) => node.Peer.Ask<T>(message, TimeSpan.FromSeconds(10)).Result;

    private static CommStats Stats(PeerNode node) => Ask<CommStats>(node, GetCommStats.Instance);

    private static ulong Height(PeerNode node) => Ask<ChannelStatus>(node, new GetChannelStatus(Channel)).Height;

    private List<Block> Chain(int count) => TestChain.Create(Channel, count, _orderer);

    private ActorSystem StartHostileSystem()
    {
        var hocon = """
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0, applied-adapters = [trttl] }
            akka.loglevel = WARNING
            """;
        _hostile = ActorSystem.Create("gossip", ReferenceConfig.WithFallback(ConfigurationFactory.ParseString(hocon)));
        return _hostile;
    }

    private static IActorRef Comm(ActorSystem from, PeerNode node) =>
        from.ActorSelection($"akka.trttl.tcp://gossip@{node.Settings.Gossip.Endpoint}/user/peer/comm")
            .ResolveOne(TimeSpan.FromSeconds(10)).Result;

    private SignedEnvelope HandshakeAt(NodeIdentity signer, long timestampUnixMs, string senderAddress, string receiverAddress)
    {
        using var ephemeral = EphemeralKey.Create();
        return EnvelopeCodec.Sign(new GossipMessage
        {
            Conn = new ConnectionHandshake
            {
                PkiId = signer.PkiId.ToByteString(),
                Identity = signer.Certificate.Bytes,
                BindingHash = Handshake.BindingHash(senderAddress, receiverAddress, timestampUnixMs),
                TimestampUnixMs = timestampUnixMs,
                ReplyRequested = true,
                EphemeralKey = ByteString.CopyFrom(ephemeral.Public),
            },
        }, signer.Key);
    }

    [Fact]
    public void A_hostile_node_with_valid_certificates_cannot_deafen_mislead_or_bloat_a_peer_that_keeps_delivering_blocks()
    {
        var ports = new[] { LoopbackPorts.Next(), LoopbackPorts.Next() };
        var target = Start("peer0.org1", ports[0], ports[1]);
        var honest = Start("peer1.org1", ports[1], ports[0]);
        var honestId = Ask<MembershipSnapshot>(honest, GetMembership.Instance).Self.PkiId;
        AwaitAssert(() => Assert.True(Ask<MembershipSnapshot>(target, GetMembership.Instance).IsAlive(honestId)),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));
        var chain = Chain(12);
        foreach (var block in chain.Take(3))
        {
            Assert.True(Ask<InjectBlockResult>(honest, new InjectBlock(Channel, block)).Accepted);
        }
        AwaitAssert(() => Assert.Equal(3UL, Height(target)), Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));

        var hostile = StartHostileSystem();
        var targetComm = Comm(hostile, target);
        var honestComm = Comm(hostile, honest);
        var otherOrg = _pki.Peer("Org2", "mallory.org2");
        var sameOrg = _pki.Peer("Org1", "mallory.org1");
                var otherOrgPeer = new SessionPeer(CreateTestProbe(hostile, "other-org"), otherOrg, targetComm, () => DateTimeOffset.UtcNow);
        var sameOrgPeer = new SessionPeer(CreateTestProbe(hostile, "same-org"), sameOrg, targetComm, () => DateTimeOffset.UtcNow);
        var targetAddress = SessionPeer.AddressOf(targetComm);

        // 1. Handshakes with extreme timestamps: rejected, nothing thrown.
        foreach (var timestamp in new[] { long.MaxValue, long.MinValue, 0L, -1L })
        {
            targetComm.Tell(HandshakeAt(otherOrg, timestamp, otherOrgPeer.Address, targetAddress), otherOrgPeer.Probe.Ref);
        }

        // 2. A validly signed but malformed secret part on a same-org alive.
        var garbage = new byte[] { 0xFF, 0xFF, 0xFF, 0x0F };
        var alive = AliveEnvelope.Create(sameOrg, "127.0.0.1:1", null, 1, 1);
        alive.SecretEnvelope = new SecretEnvelope { Payload = ByteString.CopyFrom(garbage), Signature = ByteString.CopyFrom(sameOrg.Key.Sign(garbage)) };
        targetComm.Tell(alive, sameOrgPeer.Probe.Ref);

        // 3. Spoofed senders: connection-level messages with the honest peer's actor as sender and no session; a
        // state info claiming the honest peer's PKI-ID; a session envelope with a flipped MAC; a replayed one.
        var digest = new GossipMessage { Channel = Channel, DataDigest = new DataDigest { SeqNum = 4, DigestTtl = 5 } };
        targetComm.Tell(EnvelopeCodec.Unsigned(digest), honestComm);
        targetComm.Tell(EnvelopeCodec.Sign(new GossipMessage
        {
            Channel = Channel,
            StateInfo = new StateInfo { PkiId = honestId.ToByteString(), LedgerHeight = 1_000_000, Timestamp = new WirePeerTime { IncNum = ulong.MaxValue, SeqNum = 1 } },
        }, otherOrg.Key), honestComm);
        otherOrgPeer.Initiate();
        var sealedDigest = otherOrgPeer.Session!.Seal(EnvelopeCodec.Unsigned(digest));
        targetComm.Tell(sealedDigest, otherOrgPeer.Probe.Ref);
        targetComm.Tell(sealedDigest, honestComm); // replayed, and under the honest peer's name
        var flipped = otherOrgPeer.Session.Seal(EnvelopeCodec.Unsigned(digest));
        flipped.SessionMac = ByteString.CopyFrom(flipped.SessionMac.Select(b => (byte)~b).ToArray());
        targetComm.Tell(flipped, honestComm);

        // 4. Endpoint claims on a live peer: a same-org alive claiming the honest peer's endpoint, and a handshake by
        // the same-org hostile identity sent in the honest peer's name.
        targetComm.Tell(AliveEnvelope.Create(sameOrg, honest.Settings.Gossip.Endpoint, honest.Settings.Gossip.Endpoint, 1, 2), sameOrgPeer.Probe.Ref);
        using (var ephemeral = EphemeralKey.Create())
        {
            targetComm.Tell(Handshake.Create(sameOrg, SessionPeer.AddressOf(honestComm), targetAddress, DateTimeOffset.UtcNow, ephemeral.Public, null), honestComm);
        }

        // 5. An unsolicited membership response (rebinding the honest peer's endpoint to the hostile identity).
        sameOrgPeer.Initiate();
        sameOrgPeer.Send(new GossipMessage
        {
            Nonce = 12345,
            MemRes = new MembershipResponse { Alive = { AliveEnvelope.Create(sameOrg, honest.Settings.Gossip.Endpoint, null, 1, 3) } },
        });

        // 6. Amplification bait from a same-org channel peer (its state info puts it in the channel view): a valid
        // block with TTL 63 and a digest for a far-future block.
        targetComm.Tell(EnvelopeCodec.Sign(new GossipMessage
        {
            Channel = Channel,
            StateInfo = new StateInfo { PkiId = sameOrg.PkiId.ToByteString(), LedgerHeight = 1, Timestamp = new WirePeerTime { IncNum = 1, SeqNum = 1 } },
        }, sameOrg.Key), sameOrgPeer.Probe.Ref);
        sameOrgPeer.Send(new GossipMessage { Channel = Channel, DataMsg = new DataMessage { SeqNum = 3, Block = chain[3].ToByteString(), PushTtl = 63, DigestTtl = 63 } });
        sameOrgPeer.Send(new GossipMessage { Channel = Channel, DataDigest = new DataDigest { SeqNum = 1_000_000_000, DigestTtl = 63 } });

        // 7. Floods: handshakes (sessions), minted identities of another org, unjoined channels, garbage, all at once.
        for (var i = 0; i < 200; i++)
        {
            using var ephemeral = EphemeralKey.Create();
            targetComm.Tell(Handshake.Create(otherOrg, otherOrgPeer.Address, targetAddress, DateTimeOffset.UtcNow, ephemeral.Public, null), otherOrgPeer.Probe.Ref);
        }
        for (var i = 0; i < 100; i++)
        {
            targetComm.Tell(AliveEnvelope.Create(_pki.Peer("Org2", $"minted{i}.org2"), $"127.0.0.1:{20000 + i}", null, 1, 1), otherOrgPeer.Probe.Ref);
        }
        for (var i = 0; i < 300; i++)
        {
            targetComm.Tell(EnvelopeCodec.Sign(new GossipMessage
            {
                Channel = $"made-up-{i}",
                StateInfo = new StateInfo { PkiId = otherOrg.PkiId.ToByteString(), LedgerHeight = 1, Timestamp = new WirePeerTime { IncNum = 1, SeqNum = (ulong)i } },
            }, otherOrg.Key), sameOrgPeer.Probe.Ref);
        }
        var random = new Random(8);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            targetComm.Tell(new SignedEnvelope { Payload = ByteString.CopyFrom(bytes), SessionId = ByteString.CopyFrom(bytes[..Math.Min(16, bytes.Length)]) },
                i % 2 == 0 ? honestComm : otherOrgPeer.Probe.Ref);
        }

        // Meanwhile the honest peer injects the rest of the chain (block 3 it may already hold: the target forwarded
        // the hostile copy, a valid orderer-signed block); the target delivers every block.
        foreach (var block in chain.Skip(4))
        {
            var result = Ask<InjectBlockResult>(honest, new InjectBlock(Channel, block));
            Assert.True(result.Accepted, result.Detail);
        }
        AwaitAssert(() => Assert.Equal((ulong)chain.Count, Height(target)), Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

        // The target's view is intact: the honest peer is alive, nothing bound its endpoint to the hostile identity.
        var view = Ask<MembershipSnapshot>(target, GetMembership.Instance);
        Assert.True(view.IsAlive(honestId));
        Assert.Equal(honest.Settings.Gossip.Endpoint, view.Alive.Single(a => a.PkiId == honestId).InternalEndpoint.Length > 0
            ? view.Alive.Single(a => a.PkiId == honestId).InternalEndpoint
            : view.Alive.Single(a => a.PkiId == honestId).ExternalEndpoint);
        Assert.False(honest.System.WhenTerminated.IsCompleted);

        // The far-future digest started nothing: the channel counted it as beyond any known height.
        var channelStatus = Ask<ChannelStatus>(target, new GetChannelStatus(Channel));
        Assert.True(channelStatus.Counters.DigestsBeyondHeight >= 1, $"digests beyond height {channelStatus.Counters.DigestsBeyondHeight}");

        // Each rejection is counted by reason.
        var stats = Stats(target);
        Assert.True(stats.Rejected(Rejection.BadHandshakeBinding) >= 4, $"BadHandshakeBinding {stats.Rejected(Rejection.BadHandshakeBinding)}");
        Assert.True(stats.Rejected(Rejection.NoHandshake) >= 1, $"NoHandshake {stats.Rejected(Rejection.NoHandshake)}");
        Assert.True(stats.Rejected(Rejection.Replayed) >= 1, $"Replayed {stats.Rejected(Rejection.Replayed)}");
        Assert.True(stats.Rejected(Rejection.BadMac) >= 1, $"BadMac {stats.Rejected(Rejection.BadMac)}");
        Assert.True(stats.Rejected(Rejection.EndpointClaimed) >= 1, $"EndpointClaimed {stats.Rejected(Rejection.EndpointClaimed)}");
        Assert.True(stats.Rejected(Rejection.UnsolicitedResponse) >= 1, $"UnsolicitedResponse {stats.Rejected(Rejection.UnsolicitedResponse)}");
        Assert.True(stats.Rejected(Rejection.UnknownChannel) >= 1, $"UnknownChannel {stats.Rejected(Rejection.UnknownChannel)}");
        Assert.True(stats.Rejected(Rejection.BadSignature) + stats.Rejected(Rejection.UnknownIdentity) >= 1, "the state info in the honest peer's name");

        // Memory: every structure remote input can grow is within the bound this test configured.
        var sizes = stats.Sizes;
        Assert.True(sizes.InboundQueued <= (long)RecvBuffSize * MaxConnections, $"inbound {sizes.InboundQueued}");
        Assert.True(sizes.Sessions <= MaxSessions, $"sessions {sizes.Sessions}");
        Assert.True(sizes.Links <= MaxConnections, $"links {sizes.Links}");
        Assert.True(sizes.PendingHandshakes <= MaxConnections, $"pending handshakes {sizes.PendingHandshakes}");
        Assert.True(sizes.HandshakeRequestsRemembered <= MaxConnections, $"handshake requests {sizes.HandshakeRequestsRemembered}");
        Assert.True(sizes.OutstandingRequests <= MaxConnections, $"outstanding requests {sizes.OutstandingRequests}");
        Assert.True(sizes.Identities <= 3 * MaxIdentitiesPerOrg, $"identities {sizes.Identities}"); // Org1, Org2, OrdererOrg
        var kindsPerPeer = 3; // alive, and state info and leadership per joined channel (one channel here)
        Assert.True(sizes.FreshnessEntries <= kindsPerPeer * sizes.Identities, $"freshness entries {sizes.FreshnessEntries}");
        Assert.True(sizes.Endpoints <= sizes.Identities, $"endpoints {sizes.Endpoints}");
    }
}
