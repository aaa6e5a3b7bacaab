using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using GossipActors.Discovery;
using GossipActors.Election;

namespace GossipActors.Hosting;

/// <summary>
/// Lives in the org system and turns the org cluster's reachability events into hints for the peer in the gossip
/// system (probe that gossip endpoint now; an unreachable or removed member also starts the channels' elections at once
/// when it led: fast failover), in process: nothing of the cluster crosses the gossip endpoint. Each
/// member publishes its gossip endpoint as a role (<see cref="EndpointRolePrefix"/>). Downs a member only when gossip
/// purged its peer because it stayed silent or its certificate expired (this peer's own observation), so the
/// cluster converges; never on a renewal or anything else another peer claims. Signed alive messages stay the truth.
/// </summary>
public sealed class ClusterHintsActor : ReceiveActor
{
    /// <summary>The role that carries a member's gossip endpoint: "gossip-endpoint=host:port".</summary>
    public const string EndpointRolePrefix = "gossip-endpoint=";

    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClusterHintsActor(IActorRef peer)
    {
        Receive<ClusterEvent.UnreachableMember>(m => Suspect(peer, m.Member, "unreachable"));
        Receive<ClusterEvent.ReachableMember>(m => Hint(peer, m.Member, "reachable again"));
        Receive<ClusterEvent.MemberRemoved>(m => Suspect(peer, m.Member, "removed"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<PeerPurged>(OnPurged);
    }

    public static Props Props(IActorRef peer) => Akka.Actor.Props.Create(() => new ClusterHintsActor(peer));

    public static string EndpointRole(string gossipEndpoint) => EndpointRolePrefix + gossipEndpoint;

    protected override SupervisorStrategy SupervisorStrategy() => Boundary.BoundarySupervision.ResumeOnKill();

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private static string? EndpointOf(Member member) =>
        member.Roles.FirstOrDefault(r => r.StartsWith(EndpointRolePrefix, StringComparison.Ordinal))?[EndpointRolePrefix.Length..];

    private string? Hint(IActorRef peer, Member member, string what)
    {
        if (member.Address.Equals(_cluster.SelfAddress) || EndpointOf(member) is not { } endpoint)
        {
            return null;
        }
        _log.Info("Org cluster says {Address} (gossip endpoint {Endpoint}) is {What}: probing it", member.Address, endpoint, what);
        peer.Tell(new ProbeEndpoint(endpoint));
        return endpoint;
    }

    /// <summary>Unreachable or removed: membership probes it, and the channels' elections hear of it (fast failover).</summary>
    private void Suspect(IActorRef peer, Member member, string what)
    {
        if (Hint(peer, member, what) is { } endpoint)
        {
            peer.Tell(new EndpointSuspected(endpoint));
        }
    }

    private void OnPurged(PeerPurged purged)
    {
        if (purged.Cause is not (PurgeCause.Expired or PurgeCause.CertificateExpired))
        {
            return;
        }
        var endpoints = new[] { purged.Peer.InternalEndpoint, purged.Peer.ExternalEndpoint }.Where(e => e.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var member in _cluster.State.Members.Where(m => !m.Address.Equals(_cluster.SelfAddress) && EndpointOf(m) is { } e && endpoints.Contains(e)))
        {
            _log.Info("Downing {Address}: gossip purged peer {Peer} ({Cause})", member.Address, purged.Peer.PkiId, purged.Cause);
            _cluster.Down(member.Address);
        }
    }
}
