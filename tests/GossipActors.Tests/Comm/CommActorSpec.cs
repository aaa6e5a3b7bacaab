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

public sealed class CommActorSpec : WireCheckedSpec
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
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            _pki.Dispose();
        }
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
            _ => AliveEnvelope.Create(_pki.Peer("Org1", "expired.org1", notAfter: TestPki.Now.AddMinutes(-1)), "old", null, 1, 1),
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

    /// <summary>Subject's comm with a membership probe; the endpoint "victim" is a probe playing Victim, bound by a handshake.</summary>
    private (IActorRef Subject, TestProbe Membership, SessionPeer Victim) SubjectWithBoundVictim(NodeIdentity subject, NodeIdentity victim)
    {
        var victimProbe = CreateTestProbe();
        _probeEndpoints["victim"] = victimProbe.Ref.Path;
        var comm = StartComm(subject, "subject");
        var membership = CreateTestProbe();
        comm.Tell(new Subscribe(null), membership);
        var victimPeer = new SessionPeer(victimProbe, victim, comm, _time.GetUtcNow);

        comm.Tell(new SendToEndpoint("victim", AliveEnvelope.Create(subject, "subject", null, 1, 1)));
        victimPeer.AnswerHandshake();
        Assert.Equal(GossipMessage.ContentOneofCase.AliveMsg, victimPeer.ExpectUnderSession().ContentCase);
        return (comm, membership, victimPeer);
    }

    [Fact]
    public void An_alive_claiming_an_endpoint_bound_to_another_peer_is_refused_and_renews_nothing()
    {
        var subject = _pki.Peer("Org1", "peer0.org1");
        var victim = _pki.Peer("Org1", "peer1.org1");
        var (comm, membership, _) = SubjectWithBoundVictim(subject, victim);

        var sameOrgClaimant = _pki.Peer("Org1", "peer2.org1");
        var otherOrgClaimant = _pki.Peer("Org2", "peer0.org2");
        comm.Tell(AliveEnvelope.Create(sameOrgClaimant, "victim", null, 1, 1));
        comm.Tell(AliveEnvelope.Create(otherOrgClaimant, "victim", null, 1, 1));

        AwaitAssert(() => Assert.Equal(2, Stats(comm).Rejected(Rejection.EndpointClaimed)));
        membership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_handshake_with_a_spoofed_sender_binds_nothing_and_the_victims_session_keeps_working()
    {
        var subject = _pki.Peer("Org1", "peer0.org1");
        var victim = _pki.Peer("Org1", "peer1.org1");
        var (comm, membership, victimPeer) = SubjectWithBoundVictim(subject, victim);

        // A same-org peer signs a handshake bound to the victim's address and sends it with the victim's actor as sender.
        var impostor = _pki.Peer("Org1", "peer2.org1");
        using var ephemeral = EphemeralKey.Create();
        comm.Tell(Handshake.Create(impostor, victimPeer.Address, SessionPeer.AddressOf(comm), _time.GetUtcNow(), ephemeral.Public, answering: null),
            victimPeer.Probe.Ref);

        membership.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no IdentityRenewed
        comm.Tell(new SendToEndpoint("victim", AliveEnvelope.Create(subject, "subject", null, 1, 2)));
        Assert.Equal(2UL, victimPeer.ExpectUnderSession().AliveMsg.Timestamp.SeqNum);
    }

    [Fact]
    public void Only_the_new_identitys_answer_to_our_handshake_at_that_endpoint_renews_it_and_only_within_the_org()
    {
        var subject = _pki.Peer("Org1", "peer0.org1");
        var victim = _pki.Peer("Org1", "peer1.org1");
        var (comm, membership, victimPeer) = SubjectWithBoundVictim(subject, victim);

        // The peer at "victim" lost its session (it restarted with a renewed certificate): it sends under an unknown
        // session, comm asks it for a handshake, and the answer is signed by the new identity.
        var unknownSession = EnvelopeCodec.Unsigned(new GossipMessage { Channel = "ch", Hello = new GossipHello { Nonce = 1 } });
        unknownSession.SessionId = ByteString.CopyFrom(new byte[SessionKeys.IdLength]);
        unknownSession.SessionCounter = 1;
        unknownSession.SessionMac = ByteString.CopyFrom(new byte[SessionMac.TagLength]);
        comm.Tell(unknownSession, victimPeer.Probe.Ref);
        var renewed = _pki.Peer("Org1", "peer1.org1");
        victimPeer.AnswerHandshake(signAs: renewed);

        var renewal = membership.ExpectMsg<IdentityRenewed>();
        Assert.Equal((victim.PkiId, renewed.PkiId), (renewal.Old, renewal.New));
        comm.Tell(new SendToEndpoint("victim", AliveEnvelope.Create(subject, "subject", null, 1, 2)));
        Assert.Equal(2UL, victimPeer.ExpectUnderSession().AliveMsg.Timestamp.SeqNum);

        // Another org's identity answering at the same endpoint is an authentication failure, not a renewal.
        _time.Advance(CommSettings.Default.AckTimeout); // comm asks the same sender again only after the ack timeout
        comm.Tell(unknownSession, victimPeer.Probe.Ref);
        victimPeer.AnswerHandshake(signAs: _pki.Peer("Org2", "peer0.org2"));
        AwaitAssert(() => Assert.Equal(1, Stats(comm).Rejected(Rejection.AuthenticationFailure)));
        membership.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_membership_response_that_answers_no_request_of_ours_is_dropped_and_one_that_does_is_delivered_once()
    {
        var subject = _pki.Peer("Org1", "peer0.org1");
        var victim = _pki.Peer("Org1", "peer1.org1");
        var (comm, membership, victimPeer) = SubjectWithBoundVictim(subject, victim);
        var relayed = AliveEnvelope.Create(_pki.Peer("Org1", "peer3.org1"), "peer3", null, 1, 1);
        GossipMessage Response(ulong nonce) => new() { Nonce = nonce, MemRes = new MembershipResponse { Alive = { relayed } } };

        victimPeer.Send(Response(77));
        AwaitAssert(() => Assert.Equal(1, Stats(comm).Rejected(Rejection.UnsolicitedResponse)));
        membership.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        comm.Tell(new SendToEndpoint("victim", AliveEnvelope.Create(subject, "subject", null, 1, 2), AwaitsResponse: 78));
        victimPeer.ExpectUnderSession();
        victimPeer.Send(Response(78));
        var inbound = membership.ExpectMsg<Inbound>();
        Assert.Equal((victim.PkiId, "victim"), (inbound.Sender.PkiId, inbound.ConnectionEndpoint));
        Assert.Single(inbound.Relayed!);

        victimPeer.Send(Response(78)); // the same nonce again
        AwaitAssert(() => Assert.Equal(2, Stats(comm).Rejected(Rejection.UnsolicitedResponse)));
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

    /// <summary>Alice's comm (a send queue of 10, a window of 4, acknowledgements never overdue) and a peer at endpoint
    /// "silent" that acknowledges only when a test makes it.</summary>
    private (NodeIdentity Alice, IActorRef AliceComm, SessionPeer Silent) AliceAndASilentPeer()
    {
        var alice = _pki.Peer("Org1", "peer0.org1");
        var silentProbe = CreateTestProbe();
        _probeEndpoints["silent"] = silentProbe.Ref.Path;
        var settings = CommSettings.Default with { SendQueueSize = 10, SendWindow = 4, AckTimeout = TimeSpan.FromHours(1) };
        var aliceComm = StartComm(alice, "alice", settings);
        return (alice, aliceComm, new SessionPeer(silentProbe, _pki.Peer("Org1", "silent.org1"), aliceComm, _time.GetUtcNow));
    }

    [Fact]
    public void A_peer_that_never_acknowledges_gets_at_most_a_window_and_the_queue_drops_oldest()
    {
        var (alice, aliceComm, silent) = AliceAndASilentPeer();

        for (var seq = 1UL; seq <= 30; seq++)
        {
            aliceComm.Tell(new SendToEndpoint("silent", AliveEnvelope.Create(alice, "alice", null, 1, seq)));
        }
        // Nothing goes out before the session is agreed; the queue of 10 keeps the newest: 20 oldest are dropped.
        silent.AnswerHandshake();

        Assert.Equal([21UL, 22, 23, 24], Enumerable.Range(0, 4).Select(_ => silent.ExpectUnderSession().AliveMsg.Timestamp.SeqNum));
        silent.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        AwaitAssert(() => Assert.Equal(20, Stats(aliceComm).QueueOverflowDrops));

        // Acknowledging (under the session) reopens the window.
        silent.Acknowledge(4);
        Assert.Equal([25UL, 26, 27, 28], Enumerable.Range(0, 4).Select(_ => silent.ExpectUnderSession().AliveMsg.Timestamp.SeqNum));
    }

    [Fact]
    public void A_bare_acknowledgement_or_one_from_a_spoofed_sender_opens_no_window()
    {
        var (alice, aliceComm, silent) = AliceAndASilentPeer();
        for (var seq = 1UL; seq <= 8; seq++)
        {
            aliceComm.Tell(new SendToEndpoint("silent", AliveEnvelope.Create(alice, "alice", null, 1, seq)));
        }
        silent.AnswerHandshake();
        Enumerable.Range(0, 4).ToList().ForEach(_ => silent.ExpectUnderSession());

        aliceComm.Tell(new CommAck { Received = 4 }, silent.Probe.Ref);
        silent.Probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        AwaitAssert(() => Assert.Equal(1, Stats(aliceComm).Rejected(Rejection.NoHandshake)));
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

/// <summary>Restart of comm: what it must keep survives, and its peers recover their sessions.</summary>
public sealed class CommRestartSpec : WireCheckedSpec
{
    private readonly TestPki _pki = new();

    public CommRestartSpec() : base("akka.test.timefactor = 2\nakka.loglevel = WARNING") { }

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            _pki.Dispose();
        }
    }

    /// <summary>Comm's parent as the peer actor is meant to be: restarts comm whatever it failed with (even Kill).</summary>
    private sealed class RestartingParent : ReceiveActor
    {
        public RestartingParent(Props comm)
        {
            var child = Context.ActorOf(comm, "comm");
            Receive<string>(m => m == "which comm?", _ => Sender.Tell(child));
            ReceiveAny(m => child.Forward(m));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);
    }

    [Fact]
    public async Task A_restarted_comm_keeps_its_subscribers_and_a_peer_whose_session_it_lost_is_asked_to_handshake_again()
    {
        var paths = new Dictionary<string, ActorPath>();
        var resolver = new EndpointResolver(endpoint => paths[endpoint]);
        var alice = _pki.Peer("Org1", "peer0.org1");
        var bob = _pki.Peer("Org1", "peer1.org1");
        var time = TimeProvider.System;
        var subscriptions = new CommSubscriptions(); // held by the parent, as PeerActor does
        var aliceComm = Sys.ActorOf(CommActor.Props(alice, _pki.Verifier, CommSettings.Default, resolver, time, new CommCounters(Metrics.NewCustomRegistry())), "alice");
        var bobParent = Sys.ActorOf(Props.Create(() => new RestartingParent(
            CommActor.Props(bob, _pki.Verifier, CommSettings.Default, resolver, time, new CommCounters(Metrics.NewCustomRegistry()), subscriptions))), "bob");
        paths["bob"] = bobParent.Path / "comm";
        paths["alice"] = aliceComm.Path;
        var bobComm = await bobParent.Ask<IActorRef>("which comm?", RemainingOrDefault);
        var channel = CreateTestProbe();
        bobComm.Tell(new Subscribe("ch1"), channel);
        GossipMessage Hello(ulong nonce) => new() { Channel = "ch1", Hello = new GossipHello { Nonce = nonce } };

        aliceComm.Tell(new SendToEndpoint("bob", EnvelopeCodec.Unsigned(Hello(1))));
        Assert.Equal(1UL, channel.ExpectMsg<Inbound>().Message.Hello.Nonce);

        bobComm.Tell(Kill.Instance);
        // Alice still sends under the session bob lost: the first hellos are refused, bob asks alice for a handshake,
        // alice adopts the new session, and hellos reach bob's channel again: the subscription survived the restart.
        var nonce = 2UL;
        AwaitAssert(() =>
        {
            aliceComm.Tell(new SendToEndpoint("bob", EnvelopeCodec.Unsigned(Hello(nonce++))));
            Assert.Equal(alice.PkiId, channel.ExpectMsg<Inbound>(TimeSpan.FromMilliseconds(300)).Sender.PkiId);
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
    }
}
