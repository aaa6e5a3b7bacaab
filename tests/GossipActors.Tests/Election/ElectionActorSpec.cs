using Akka.Actor;
using Akka.TestKit.Xunit2;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Election;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Election;

/// <summary>The election actor alone, under a probe parent (the channel) with a probe for comm.</summary>
public sealed class ElectionActorSpec : WireCheckedSpec
{
    private static readonly ElectionCoreSettings Fast = new()
    {
        StartupGracePeriod = TimeSpan.FromSeconds(2),
        MembershipSampleInterval = TimeSpan.FromMilliseconds(100),
        LeaderAliveThreshold = TimeSpan.FromSeconds(1),
        LeaderElectionDuration = TimeSpan.FromMilliseconds(300),
    };

    private readonly TestPki _pki = new();
    private readonly NodeIdentity _self;
    private readonly NodeIdentity _peer;
    private readonly NodeIdentity _stranger;
    private readonly NodeIdentity _otherOrg;
    private readonly CollectorRegistry _metrics = Metrics.NewCustomRegistry();

    public ElectionActorSpec()
        : base("akka.test.timefactor = 3\nakka.loglevel = WARNING")
    {
        _self = _pki.Peer("Org1", "self");
        _peer = _pki.Peer("Org1", "peer");
        _stranger = _pki.Peer("Org1", "stranger");
        _otherOrg = _pki.Peer("Org2", "other");
        Channel = CreateTestProbe();
        Comm = CreateTestProbe();
    }

    private Akka.TestKit.TestProbe Channel { get; }
    private Akka.TestKit.TestProbe Comm { get; }

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

    private IActorRef Start(ElectionOptions options) =>
        Channel.ChildActorOf(ElectionActor.Props(_self, "ch", options, 42, Comm.Ref, TimeProvider.System, new ElectionMetrics(_metrics, "ch")));

    private static Inbound Leadership(NodeIdentity from, bool declaration, NodeIdentity? about = null)
    {
        var message = new GossipMessage
        {
            Channel = "ch",
            Tag = GossipTag.ChanAndOrg,
            LeadershipMsg = new LeadershipMessage
            {
                PkiId = (about ?? from).PkiId.ToByteString(),
                Timestamp = new GossipActors.Protocol.Wire.PeerTime { IncNum = 1, SeqNum = 1 },
                IsDeclaration = declaration,
            },
        };
        return new Inbound(PeerIdentityInfo.From(from.Certificate), message, EnvelopeCodec.Sign(message, from.Key), null);
    }

    private ElectionStatus StatusOf(IActorRef election) => election.Ask<ElectionStatus>(GetElectionStatus.Instance, TimeSpan.FromSeconds(5)).Result;

    private double Gauge(string name) =>
        double.Parse(System.Text.RegularExpressions.Regex.Match(Export(), $"^{name}\\{{channel=\"ch\"\\}} (\\S+)$",
            System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private string Export() => PrometheusText.Export(_metrics);

    [Fact]
    public void A_static_leader_leads_at_once_and_keeps_leading_when_the_orderer_is_unreachable()
    {
        var election = Start(ElectionOptions.StaticLeader);

        Assert.Equal(new LeadershipChanged("ch", true, _self.PkiId), Channel.ExpectMsg<LeadershipChanged>());
        election.Tell(new OrdererUnreachable("ch", TimeSpan.FromHours(1)));
        election.Tell(Leadership(_peer, declaration: true));

        Channel.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Comm.ExpectNoMsg(TimeSpan.Zero);
        var status = StatusOf(election);
        Assert.True(status.IsLeader);
        Assert.Equal(1, status.Rejected[ElectionRejection.StaticLeadership]);
        Assert.Equal(1, Gauge("gossip_leader_election_leader"));
    }

    [Fact]
    public void A_static_standby_never_leads_and_sends_nothing()
    {
        Start(ElectionOptions.StaticStandby);

        Assert.Equal(new LeadershipChanged("ch", false, null), Channel.ExpectMsg<LeadershipChanged>());
        Channel.ExpectNoMsg(TimeSpan.FromSeconds(1));
        Comm.ExpectNoMsg(TimeSpan.Zero);
        Assert.Equal(0, Gauge("gossip_leader_election_leader"));
    }

    [Fact]
    public void A_dynamic_peer_proposes_then_declares_to_its_org_peers_with_signed_growing_sequence_numbers()
    {
        var election = Start(ElectionOptions.Dynamic(Fast));
        Assert.Equal(new LeadershipChanged("ch", false, null), Channel.ExpectMsg<LeadershipChanged>());
        Channel.ExpectMsg<RequestElectionPeers>();
        election.Tell(new ElectionPeers([_peer.PkiId]));

        var proposal = Comm.ExpectMsg<SendTo>();
        var declaration = Comm.ExpectMsg<SendTo>();

        Assert.Equal(new LeadershipChanged("ch", true, _self.PkiId), Channel.ExpectMsg<LeadershipChanged>());
        Assert.All([proposal, declaration], s => Assert.Equal(_peer.PkiId, s.Peer));
        var (first, second) = (Payload(proposal), Payload(declaration));
        Assert.False(first.LeadershipMsg.IsDeclaration);
        Assert.True(second.LeadershipMsg.IsDeclaration);
        Assert.Equal(42UL, second.LeadershipMsg.Timestamp.IncNum);
        Assert.True(second.LeadershipMsg.Timestamp.SeqNum > first.LeadershipMsg.Timestamp.SeqNum);
        Assert.True(EnvelopeCodec.VerifySignature(declaration.Envelope, _self.Certificate.PublicKey));
        Assert.Equal(1, Gauge("gossip_leader_election_leader"));
        Assert.Equal(1, Gauge("gossip_leader_election_elections_started"));
    }

    [Fact]
    public void A_dynamic_leader_yields_when_the_orderer_is_unreachable()
    {
        var election = Start(ElectionOptions.Dynamic(Fast));
        Channel.ExpectMsg<LeadershipChanged>();
        Channel.ExpectMsg<RequestElectionPeers>();
        election.Tell(new ElectionPeers([_peer.PkiId]));
        Assert.True(Channel.ExpectMsg<LeadershipChanged>().IsLeader);

        election.Tell(new OrdererUnreachable("ch", TimeSpan.FromHours(1)));

        Assert.Equal(new LeadershipChanged("ch", false, null), Channel.ExpectMsg<LeadershipChanged>());
        Assert.Equal(0, Gauge("gossip_leader_election_leader"));
        Assert.Equal(2, Gauge("gossip_leader_election_leadership_changes"));
    }

    [Fact]
    public void Leadership_messages_from_another_org_from_outside_the_view_or_about_someone_else_are_refused_and_counted()
    {
        var election = Start(ElectionOptions.Dynamic(Fast with { StartupGracePeriod = TimeSpan.FromMinutes(1) }));
        Channel.ExpectMsg<LeadershipChanged>();
        Channel.ExpectMsg<RequestElectionPeers>();
        election.Tell(new ElectionPeers([_peer.PkiId]));

        election.Tell(Leadership(_otherOrg, declaration: true));
        election.Tell(Leadership(_stranger, declaration: true));
        election.Tell(Leadership(_peer, declaration: true, about: _stranger));

        var status = StatusOf(election);
        Assert.Equal(1, status.Rejected[ElectionRejection.OtherOrg]);
        Assert.Equal(1, status.Rejected[ElectionRejection.NotInView]);
        Assert.Equal(1, status.Rejected[ElectionRejection.Malformed]);
        Assert.Null(status.Leader);

        election.Tell(Leadership(_peer, declaration: true));
        AwaitAssert(() => Assert.Equal(_peer.PkiId, StatusOf(election).Leader), Dilated(TimeSpan.FromSeconds(3)));
    }

    private static GossipMessage Payload(SendTo send) => GossipMessage.Parser.ParseFrom(send.Envelope.Payload);
}
