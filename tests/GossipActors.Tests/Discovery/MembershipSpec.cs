using Akka.TestKit.Xunit2;
using GossipActors.Comm;
using GossipActors.Discovery;
using GossipActors.Hosting;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Discovery;

/// <summary>Six peers in two orgs inside one actor system, with scaled-down timers.</summary>
public sealed class MembershipSpec : WireCheckedSpec
{
    private static readonly MembershipSettings FastTimers = new()
    {
        AliveInterval = TimeSpan.FromMilliseconds(200),
        AliveExpirationTimeout = TimeSpan.FromMilliseconds(1200),
        ReconnectInterval = TimeSpan.FromMilliseconds(400),
        AntiEntropyInterval = TimeSpan.FromMilliseconds(600),
    };

    private static readonly string[] Org1 = ["p1", "p2", "p3"];
    private static readonly string[] Org2 = ["q1", "q2", "q3"];

    private readonly TestPki _pki = new();
    private readonly InProcessNetwork _net;

    public MembershipSpec() : base("akka.test.timefactor = 3\nakka.loglevel = WARNING") => _net = new InProcessNetwork(Sys, _pki, FastTimers);

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

    private void StartTwoOrgs()
    {
        AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        foreach (var p in Org1)
        {
            _net.Start("Org1", p, ["p1"], anchors);
        }
        foreach (var q in Org2)
        {
            _net.Start("Org2", q, ["q1"], anchors);
        }
    }

    private void AwaitView(string peer, IEnumerable<string> alive, TimeSpan within, IEnumerable<string>? dead = null) =>
        AwaitAssert(() =>
        {
            Assert.Equal(alive.Where(a => a != peer).ToHashSet(), _net.AliveNames(peer));
            if (dead is not null)
            {
                Assert.Superset(dead.ToHashSet(), _net.DeadNames(peer));
            }
        }, Dilated(within), TimeSpan.FromMilliseconds(100));

    /// <summary>Waits until <paramref name="peer"/> has published <paramref name="rounds"/> more alive messages (its sequence is its clock in µs).</summary>
    private void AwaitAliveRounds(string peer, int rounds)
    {
        var start = _net.View(peer).Self.Sequence;
        var micros = (ulong)(FastTimers.AliveInterval.Ticks / 10) * (ulong)rounds;
        AwaitCondition(() => _net.View(peer).Self.Sequence >= start + micros, Dilated(TimeSpan.FromSeconds(10)), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Six_peers_in_two_orgs_reach_a_full_view_then_a_partition_kills_the_other_side_and_healing_revives_it()
    {
        StartTwoOrgs();
        var everyone = Org1.Concat(Org2).ToArray();
        foreach (var peer in everyone)
        {
            AwaitView(peer, everyone, TimeSpan.FromSeconds(5));
        }

        _net.Partition(Org1, Org2);
        // Each side declares the other dead within aliveExpirationTimeout plus one alive interval (and tick jitter).
        var deadline = FastTimers.AliveExpirationTimeout + FastTimers.AliveInterval + FastTimers.TickInterval + TimeSpan.FromMilliseconds(300);
        foreach (var peer in Org1)
        {
            AwaitView(peer, Org1, deadline, dead: Org2);
        }
        foreach (var peer in Org2)
        {
            AwaitView(peer, Org2, deadline, dead: Org1);
        }

        _net.Partition(Org1, Org2, heal: true);
        foreach (var peer in everyone)
        {
            AwaitView(peer, everyone, TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void An_org2_peer_without_an_external_endpoint_never_appears_in_org1s_view()
    {
        AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        _net.Start("Org1", "p1", ["p1"], anchors);
        _net.Start("Org1", "p2", ["p1"], anchors);
        _net.Start("Org2", "q1", ["q1"], anchors);
        _net.Start("Org2", "hidden", ["q1"], anchors, external: false);

        AwaitView("q1", ["q1", "hidden", "p1", "p2"], TimeSpan.FromSeconds(5));
        AwaitView("p1", ["p1", "p2", "q1"], TimeSpan.FromSeconds(5));
        AwaitView("p2", ["p1", "p2", "q1"], TimeSpan.FromSeconds(5));
        // Several more alive rounds: still invisible to Org1, and its internal endpoint never reached Org1.
        AwaitAliveRounds("p1", 10);
        Assert.DoesNotContain("hidden", _net.AliveNames("p1"));
        Assert.DoesNotContain("hidden", _net.AliveNames("p2"));
        Assert.All(_net.View("p1").Alive.Where(a => a.Org == "Org2"), a => Assert.Equal("", a.InternalEndpoint));
    }

    [Fact]
    public void Anchor_peers_connect_two_orgs_that_share_no_bootstrap_peer()
    {
        AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        foreach (var p in Org1)
        {
            _net.Start("Org1", p, ["p1"], anchors);
        }
        foreach (var q in Org2)
        {
            _net.Start("Org2", q, ["q1"], anchors);
        }
        var everyone = Org1.Concat(Org2).ToArray();
        AwaitView("p3", everyone, TimeSpan.FromSeconds(5));
        AwaitView("q3", everyone, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_bootstrap_peer_of_another_org_is_refused()
    {
        _net.Start("Org2", "q1", ["q1"], external: false);
        _net.Start("Org2", "q2", ["q1"], external: false);
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        _net.Start("Org1", "p1", ["q1"]); // misconfigured: its bootstrap peer is Org2's

        // Refused on every retry of the bootstrap (each reconnectInterval); one is enough to see it.
        warnings.FishForMessage(m => m is Akka.Event.Warning w && $"{w.Message}".Contains("Refusing bootstrap peer", StringComparison.Ordinal),
            Dilated(TimeSpan.FromSeconds(5)));

        AwaitAliveRounds("p1", 10);
        Assert.Empty(_net.AliveNames("p1"));
    }

    [Fact]
    public void A_peer_with_a_new_incarnation_replaces_its_old_record()
    {
        _net.Start("Org1", "p1", ["p1"]);
        var restarting = _net.Start("Org1", "p2", ["p1"]);
        AwaitView("p1", ["p1", "p2"], TimeSpan.FromSeconds(5));
        var identity = _net.Identity("p2");

        Watch(restarting);
        Sys.Stop(restarting);
        ExpectTerminated(restarting);
        var components = new PeerComponents(identity, _pki.Verifier, CommSettings.Default,
            new MembershipOptions(FastTimers, "p2", "p2", 2, ["p1"], []), EndpointResolver.InProcess(Sys),
            TimeProvider.System, new Random(99), Prometheus.Metrics.NewCustomRegistry());
        Sys.ActorOf(PeerActor.Props(components), "p2");

        AwaitAssert(() => Assert.Equal(2UL, _net.View("p1").Alive.Single().Incarnation), Dilated(TimeSpan.FromSeconds(5)));
    }
}
