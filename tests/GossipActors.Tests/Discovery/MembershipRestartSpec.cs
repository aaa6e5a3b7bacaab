using Akka.Actor;
using Akka.TestKit.Xunit2;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Tests.Support;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Discovery;

/// <summary>
/// A peer's membership actor restarted by its supervisor keeps its place in everyone's view: its sequence numbers
/// follow the clock, so the restarted actor (same incarnation, fresh state) never re-emits an old (incarnation,
/// sequence) that receivers would drop as stale.
/// </summary>
public sealed class MembershipRestartSpec : WireCheckedSpec
{
    /// <summary>Fast alive messages, but an expiration long enough (40 alive intervals) that a loaded 2-core machine
    /// (CI runs both test assemblies at once) does not expire a live peer; a restart that re-emitted old sequences
    /// would still be declared dead within the two expirations the test waits.</summary>
    private static readonly MembershipSettings FastTimers = new()
    {
        AliveInterval = TimeSpan.FromMilliseconds(200),
        AliveExpirationTimeout = TimeSpan.FromSeconds(8),
        ReconnectInterval = TimeSpan.FromMilliseconds(400),
        AntiEntropyInterval = TimeSpan.FromMilliseconds(600),
    };

    private readonly TestPki _pki = new();
    private readonly InProcessNetwork _net;

    public MembershipRestartSpec() : base("akka.test.timefactor = 3\nakka.loglevel = WARNING") => _net = new InProcessNetwork(Sys, _pki, FastTimers);

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

    /// <summary>
    /// A peer built like PeerActor builds one (comm and membership at /user/{endpoint}), whose supervisor restarts the
    /// membership actor on any failure, Kill included, so the test can restart it at will.
    /// </summary>
    private sealed class RestartingPeer : ReceiveActor
    {
        public RestartingPeer(NodeIdentity identity, CertificateVerifier verifier, MembershipOptions options)
        {
            var comm = Context.ActorOf(CommActor.Props(identity, verifier, CommSettings.Default, EndpointResolver.InProcess(Context.System),
                TimeProvider.System, new CommCounters(Metrics.NewCustomRegistry())), EndpointResolver.CommActorName);
            var membership = Context.ActorOf(MembershipActor.Props(identity, options, comm, TimeProvider.System, new Random(7)), "membership");
            Receive<GetMembership>(m => membership.Forward(m));
            Receive<SubscribeMembership>(m => membership.Forward(m));
            Receive<Restart>(_ => membership.Tell(Kill.Instance));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);
    }

    private sealed record Restart : INoSerializationVerificationNeeded; // the test's own signal, in process

    [Fact]
    public void A_membership_actor_restarted_several_times_is_never_declared_dead_and_stays_accepted()
    {
        _net.Start("Org1", "p1", ["p1"]);
        _net.Start("Org1", "p2", ["p1"]);
        var identity = _pki.Peer("Org1", "r");
        var options = new MembershipOptions(FastTimers, "r", "r", 1, ["p1"], []);
        var restarting = Sys.ActorOf(Props.Create(() => new RestartingPeer(identity, _pki.Verifier, options)), "r");
        var subscriber = CreateTestProbe();
        restarting.Tell(SubscribeMembership.Instance, subscriber.Ref);
        var watchers = new[] { "p1", "p2" }.ToDictionary(p => p, _ => CreateTestProbe());
        AwaitAssert(() =>
        {
            Assert.Contains(identity.PkiId, _net.View("p1").Alive.Select(a => a.PkiId));
            Assert.Contains(identity.PkiId, _net.View("p2").Alive.Select(a => a.PkiId));
        }, Dilated(TimeSpan.FromSeconds(5)), TimeSpan.FromMilliseconds(100));
        foreach (var (peer, probe) in watchers)
        {
            _net[peer].Tell(SubscribeMembership.Instance, probe.Ref); // every later change of p1's and p2's view
        }

        for (var restart = 0; restart < 4; restart++)
        {
            var before = SequenceAt("p1", identity.PkiId);
            subscriber.ReceiveWhile<object>(o => o, TimeSpan.FromMilliseconds(100));
            restarting.Tell(new Restart());
            // Its subscriber was carried over to the new instance: it hears of the view again.
            subscriber.ExpectMsg<MembershipSnapshot>(Dilated(TimeSpan.FromSeconds(3)));
            // Accepted again after the restart: p1 holds a newer alive of it than before (same incarnation).
            AwaitCondition(() => SequenceAt("p1", identity.PkiId) > before + Micros(FastTimers.AliveInterval),
                Dilated(TimeSpan.FromSeconds(5)), TimeSpan.FromMilliseconds(50));
        }
        // Then two expiration timeouts of its clock more, so that a peer dropping its alives would have declared it dead.
        var last = SequenceAt("p2", identity.PkiId);
        AwaitCondition(() => SequenceAt("p2", identity.PkiId) > last + 2 * Micros(FastTimers.AliveExpirationTimeout),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(100));

        foreach (var (peer, probe) in watchers)
        {
            var snapshots = probe.ReceiveWhile<MembershipSnapshot>(o => (MembershipSnapshot)o, TimeSpan.FromMilliseconds(200));
            Assert.NotEmpty(snapshots);
            Assert.All(snapshots, s =>
            {
                Assert.DoesNotContain(s.Dead, d => d.PkiId == identity.PkiId);
                Assert.Contains(s.Alive, a => a.PkiId == identity.PkiId);
            });
            Assert.All(_net.View(peer).Alive.Where(a => a.PkiId == identity.PkiId), a => Assert.Equal(1UL, a.Incarnation));
        }
    }

    private ulong SequenceAt(string observer, PkiId peer) =>
        _net.View(observer).Alive.FirstOrDefault(a => a.PkiId == peer)?.Sequence ?? 0;

    private static ulong Micros(TimeSpan span) => (ulong)(span.Ticks / 10);
}
