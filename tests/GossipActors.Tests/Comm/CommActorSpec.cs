using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Comm;

public sealed class CommActorSpec : TestKit
{
    private static readonly string Config = """
        akka.test.timefactor = 2
        akka.loglevel = WARNING
        """;

    private readonly TestPki _pki = new();
    private readonly ManualTimeProvider _time = new(TestPki.Now);

    public CommActorSpec() : base(Config) { }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _pki.Dispose();
    }

    private readonly Dictionary<string, ActorPath> _probeEndpoints = [];

    /// <summary>Endpoint "x" is the actor /user/x in this system, unless a probe stands at that endpoint.</summary>
    private EndpointResolver Resolver => new(endpoint => _probeEndpoints.TryGetValue(endpoint, out var probe)
        ? probe
        : new RootActorPath(((ExtendedActorSystem)Sys).Provider.DefaultAddress) / "user" / endpoint);

    private IActorRef StartComm(NodeIdentity identity, string name, CommSettings? settings = null) =>
        Sys.ActorOf(CommActor.Props(identity, _pki.Verifier, settings ?? CommSettings.Default, Resolver, _time,
            new CommCounters(Metrics.NewCustomRegistry())), name);

    /// <summary>Alice and Bob of Org1 with their comm actors; a probe subscribed at Bob's (membership kinds, or a channel).</summary>
    private (NodeIdentity Alice, NodeIdentity Bob, IActorRef AliceComm, IActorRef BobComm, TestProbe BobSubscriber) StartPair(string? subscribeTo)
    {
        var alice = _pki.Peer("Org1", "peer0.org1");
        var bob = _pki.Peer("Org1", "peer1.org1");
        var aliceComm = StartComm(alice, "alice");
        var bobComm = StartComm(bob, "bob");
        var subscriber = CreateTestProbe();
        bobComm.Tell(new Subscribe(subscribeTo), subscriber);
        return (alice, bob, aliceComm, bobComm, subscriber);
    }

    private CommStats Stats(IActorRef comm) => comm.Ask<CommStats>(GetCommStats.Instance, RemainingOrDefault).Result;

    [Fact]
    public void Alive_sent_to_an_endpoint_arrives_verified_at_the_other_peers_membership_subscriber()
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);

        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", "alice-internal", 1, 1)));

        var inbound = bobMembership.ExpectMsg<Inbound>();
        Assert.Equal(alice.PkiId, inbound.Sender.PkiId);
        Assert.Equal(GossipMessage.ContentOneofCase.AliveMsg, inbound.Message.ContentCase);
        Assert.Equal("alice-internal", inbound.InternalEndpoint);
    }

    [Fact]
    public void Forged_envelope_is_rejected_counted_and_the_next_valid_one_still_arrives()
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);

        var forged = AliveEnvelope.Create(alice, "alice", null, 1, 1);
        forged.Signature = ByteString.CopyFrom(bob.Key.Sign(forged.Payload.Span));
        aliceComm.Tell(new SendToEndpoint("bob", forged));
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 2)));

        var inbound = bobMembership.ExpectMsg<Inbound>();
        Assert.Equal(2UL, inbound.Message.AliveMsg.Timestamp.SeqNum);
        bobMembership.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, Stats(bobComm).Rejected(Rejection.BadSignature));
    }

    public static TheoryData<string, Rejection, string> BadAlives => new()
    {
        { "forged", Rejection.BadSignature, "peer0.org1" },
        { "claims another PKI-ID", Rejection.PkiIdMismatch, "carries the certificate of peer0.org1" },
        { "unknown org", Rejection.BadCertificate, "UnknownOrganisation" },
        { "expired certificate", Rejection.BadCertificate, "expired.org1" },
    };

    [Theory]
    [MemberData(nameof(BadAlives))]
    public void Bad_alive_is_rejected_counted_logged_with_its_sender_and_never_delivered(string kind, Rejection reason, string logged)
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 5)));
        bobMembership.ExpectMsg<Inbound>(); // the genuine one, to set the freshness baseline

        var bad = kind switch
        {
            "forged" => WithSignature(AliveEnvelope.Create(alice, "alice", null, 1, 6), bob),
            "claims another PKI-ID" => AliveClaiming(alice, bob.PkiId),
            "unknown org" => AliveEnvelope.Create(_pki.Stranger(), "evil", null, 1, 1),
            _ => AliveEnvelope.Create(_pki.Peer("Org1", "expired.org1", notAfter: DateTimeOffset.UtcNow.AddMinutes(-1)), "old", null, 1, 1),
        };
        EventFilter.Warning(contains: logged).ExpectOne(() => aliceComm.Tell(new SendToEndpoint("bob", bad)));

        bobMembership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, Stats(bobComm).Rejected(reason));
    }

    [Fact]
    public void An_alive_older_than_one_accepted_is_dropped_quietly_not_rejected_nor_warned_about()
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 5)));
        bobMembership.ExpectMsg<Inbound>();

        EventFilter.Warning().Expect(0, () =>
        {
            aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 4)));
            AwaitCondition(() => Stats(bobComm).StaleDropped == 1);
        });

        bobMembership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var stats = Stats(bobComm);
        Assert.Equal(0, stats.Rejected(Rejection.Stale));
        Assert.Empty(stats.Rejections);
    }

    [Fact]
    public void The_same_rejection_from_one_sender_is_counted_every_time_but_warned_about_once()
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);

        EventFilter.Warning(contains: "BadSignature").Expect(1, () =>
        {
            for (var seq = 1UL; seq <= 5; seq++)
            {
                aliceComm.Tell(new SendToEndpoint("bob", WithSignature(AliveEnvelope.Create(alice, "alice", null, 1, seq), bob)));
            }
            AwaitCondition(() => Stats(bobComm).Rejected(Rejection.BadSignature) == 5);
        });
    }

    private static SignedEnvelope WithSignature(SignedEnvelope envelope, NodeIdentity signer)
    {
        envelope.Signature = ByteString.CopyFrom(signer.Key.Sign(envelope.Payload.Span));
        return envelope;
    }

    private static SignedEnvelope AliveClaiming(NodeIdentity signer, PkiId claimed) => EnvelopeCodec.Sign(new GossipMessage
    {
        AliveMsg = new AliveMessage
        {
            Membership = new Member { Endpoint = "x", PkiId = claimed.ToByteString(), Org = signer.MspId },
            Timestamp = new GossipActors.Protocol.Wire.PeerTime { IncNum = 1, SeqNum = 9 },
            Identity = signer.Certificate.Bytes,
        },
    }, signer.Key);

    [Fact]
    public void A_new_PkiId_at_a_known_endpoint_is_a_renewal_in_the_same_org_and_an_authentication_failure_from_another()
    {
        var (alice, _, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 1)));
        bobMembership.ExpectMsg<Inbound>();

        var impostor = _pki.Peer("Org2", "peer0.org2");
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(impostor, "alice", null, 1, 1)));
        bobMembership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        AwaitAssert(() => Assert.Equal(1, Stats(bobComm).Rejected(Rejection.AuthenticationFailure)));

        var renewed = _pki.Peer("Org1", "peer0.org1"); // same peer, new certificate: a new PKI-ID
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(renewed, "alice", null, 2, 1)));
        var renewal = bobMembership.ExpectMsg<IdentityRenewed>();
        Assert.Equal((alice.PkiId, renewed.PkiId), (renewal.Old, renewal.New));
        Assert.Equal(renewed.PkiId, bobMembership.ExpectMsg<Inbound>().Sender.PkiId);
    }

    [Fact]
    public void Channel_message_goes_to_that_channels_subscriber_and_an_unjoined_channel_is_rejected()
    {
        var (alice, _, aliceComm, bobComm, channel) = StartPair(subscribeTo: "ch1");

        aliceComm.Tell(new SendToEndpoint("bob", EnvelopeCodec.Sign(new GossipMessage { Channel = "ch2", Hello = new GossipHello { Nonce = 1 } }, alice.Key)));
        aliceComm.Tell(new SendToEndpoint("bob", EnvelopeCodec.Sign(new GossipMessage { Channel = "ch1", Hello = new GossipHello { Nonce = 2 } }, alice.Key)));

        var inbound = channel.ExpectMsg<Inbound>();
        Assert.Equal(2UL, inbound.Message.Hello.Nonce);
        Assert.Equal(alice.PkiId, inbound.Sender.PkiId); // attributed through the handshake
        AwaitAssert(() => Assert.Equal(1, Stats(bobComm).Rejected(Rejection.UnknownChannel)));
    }

    [Fact]
    public void A_peer_that_never_acknowledges_gets_at_most_a_window_and_the_queue_drops_oldest()
    {
        var alice = _pki.Peer("Org1", "peer0.org1");
        var silentPeer = CreateTestProbe();
        _probeEndpoints["silent"] = silentPeer.Ref.Path;
        var settings = CommSettings.Default with { SendQueueSize = 10, SendWindow = 4, AckTimeout = TimeSpan.FromHours(1) };
        var aliceComm = StartComm(alice, "alice", settings);

        aliceComm.Tell(new SendToEndpoint("silent", AliveEnvelope.Create(alice, "alice", null, 1, 1)));
        var handshake = silentPeer.ExpectMsg<SignedEnvelope>();
        Assert.True(EnvelopeCodec.TryParsePayload(handshake, out var first, out _));
        Assert.Equal(GossipMessage.ContentOneofCase.Conn, first!.ContentCase);
        silentPeer.ExpectMsg<SignedEnvelope>(); // seq 1: handshake + 1 in flight

        for (var seq = 2UL; seq <= 30; seq++)
        {
            aliceComm.Tell(new SendToEndpoint("silent", AliveEnvelope.Create(alice, "alice", null, 1, seq)));
        }

        // Seq 2 and 3 fill the window of 4; 4..30 queue in a queue of 10, so 17 oldest are dropped.
        Assert.Equal([2UL, 3], silentPeer.ReceiveN(2).Cast<SignedEnvelope>().Select(SequenceOf));
        silentPeer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        AwaitAssert(() => Assert.Equal(17, Stats(aliceComm).QueueOverflowDrops));

        // Acknowledging reopens the window; what comes next are the newest ten, oldest first.
        aliceComm.Tell(new CommAck { Received = 4 }, silentPeer.Ref);
        Assert.Equal([21UL, 22, 23, 24], silentPeer.ReceiveN(4).Cast<SignedEnvelope>().Select(SequenceOf));
    }

    private static ulong SequenceOf(SignedEnvelope envelope) => GossipMessage.Parser.ParseFrom(envelope.Payload).AliveMsg.Timestamp.SeqNum;

    [Fact]
    public void Fault_filter_drops_traffic_from_a_blocked_peer_until_unblocked()
    {
        var (alice, bob, aliceComm, bobComm, bobMembership) = StartPair(subscribeTo: null);

        bobComm.Tell(new BlockTraffic(Peer: alice.PkiId));
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 1)));
        bobMembership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        AwaitAssert(() => Assert.Equal(1, Stats(bobComm).FaultFilterDrops));

        bobComm.Tell(new UnblockTraffic(Peer: alice.PkiId));
        aliceComm.Tell(new SendToEndpoint("bob", AliveEnvelope.Create(alice, "alice", null, 1, 2)));
        Assert.Equal(2UL, bobMembership.ExpectMsg<Inbound>().Message.AliveMsg.Timestamp.SeqNum);
    }

    [Fact]
    public void An_endpoint_that_cannot_be_resolved_is_reported_unreachable_at_once()
    {
        var alice = _pki.Peer("Org1", "peer0.org1");
        var settings = CommSettings.Default with { ResolveTimeout = TimeSpan.FromMilliseconds(500) };
        var aliceComm = StartComm(alice, "alice", settings);
        var membership = CreateTestProbe();
        aliceComm.Tell(new Subscribe(null), membership);

        aliceComm.Tell(new SendToEndpoint("nobody", AliveEnvelope.Create(alice, "alice", null, 1, 1)));

        Assert.Equal("nobody", membership.ExpectMsg<PeerUnreachable>().Endpoint);
    }
}
