using Akka.Actor;
using Akka.TestKit.Xunit2;
using GossipActors.Comm;
using GossipActors.Discovery;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Xunit;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Tests.Discovery;

/// <summary>peer.gossip.publishCertPeriod: alive messages carry the certificate only for that long after start.</summary>
public sealed class PublishCertPeriodSpec : WireCheckedSpec
{
    private static readonly MembershipSettings FastTimers = new()
    {
        AliveInterval = TimeSpan.FromMilliseconds(200),
        AliveExpirationTimeout = TimeSpan.FromMilliseconds(1200),
        ReconnectInterval = TimeSpan.FromMilliseconds(400),
        AntiEntropyInterval = TimeSpan.FromMilliseconds(600),
    };

    private readonly TestPki _pki = new();

    public PublishCertPeriodSpec() : base("akka.test.timefactor = 3\nakka.loglevel = WARNING") { }

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

    private static GossipMessage Parse(SignedEnvelope envelope) => GossipMessage.Parser.ParseFrom(envelope.Payload);

    [Fact]
    public void Alive_messages_carry_the_certificate_only_during_the_period_after_start()
    {
        var clock = new ManualTimeProvider();
        var comm = CreateTestProbe();
        var identity = _pki.Peer("Org1", "p1");
        var options = new MembershipOptions(FastTimers with { PublishCertPeriod = TimeSpan.FromSeconds(10) }, "p1", "p1", 1, ["b"], []);
        Sys.ActorOf(MembershipActor.Props(identity, options, comm.Ref, clock, new Random(1)));
        comm.ExpectMsg<Subscribe>();

        var first = comm.FishForMessage<SendToEndpoint>(m => m is SendToEndpoint { Endpoint: "b" }, Dilated(TimeSpan.FromSeconds(3)));
        var early = Parse(Parse(first.Envelope).MemReq.SelfInformation).AliveMsg;
        Assert.False(early.Identity.IsEmpty);

        clock.Advance(TimeSpan.FromSeconds(10));
        // The next bootstrap attempt: our signed identity first (the receiver may not know us), then the request.
        var identityMessage = comm.FishForMessage<SendToEndpoint>(m => m is SendToEndpoint s && Parse(s.Envelope).ContentCase == Kind.PeerIdentity,
            Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal(identity.Certificate.Bytes, Parse(identityMessage.Envelope).PeerIdentity.Cert);
        var request = comm.FishForMessage<SendToEndpoint>(m => m is SendToEndpoint s && Parse(s.Envelope).ContentCase == Kind.MemReq,
            Dilated(TimeSpan.FromSeconds(3)));
        var late = Parse(Parse(request.Envelope).MemReq.SelfInformation).AliveMsg;
        Assert.True(late.Identity.IsEmpty);
        Assert.True(late.Timestamp.SeqNum > early.Timestamp.SeqNum);
    }

    [Fact]
    public void Peers_that_join_after_everyone_stopped_sending_certificates_still_learn_and_verify_everyone()
    {
        var settings = FastTimers with { PublishCertPeriod = TimeSpan.FromMilliseconds(300) };
        var net = new InProcessNetwork(Sys, _pki, settings);
        AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        net.Start("Org1", "p1", ["p1"], anchors);
        net.Start("Org1", "p2", ["p1"], anchors);
        net.Start("Org1", "p3", ["p1"], anchors);
        net.Start("Org2", "q1", ["q1"], anchors);
        string[] first = ["p1", "p2", "p3", "q1"];
        AwaitViews(net, first);
        // Well past everyone's certificate period: from now on alive messages carry no certificate.
        var start = net.View("p1").Self.Sequence;
        AwaitCondition(() => net.View("p1").Self.Sequence > start + 1_000_000, Dilated(TimeSpan.FromSeconds(5)), TimeSpan.FromMilliseconds(100));

        net.Start("Org2", "q2", ["q1"], anchors);
        net.Start("Org1", "p4", ["p2"], anchors);

        AwaitViews(net, [.. first, "q2", "p4"]);
    }

    private void AwaitViews(InProcessNetwork net, string[] everyone)
    {
        foreach (var peer in everyone)
        {
            AwaitAssert(() => Assert.Equal(everyone.Where(p => p != peer).ToHashSet(), net.AliveNames(peer)),
                Dilated(TimeSpan.FromSeconds(8)), TimeSpan.FromMilliseconds(100));
        }
    }
}
