using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using GossipActors.Discovery;
using GossipActors.Election;

namespace GossipActors.Hosting;

/// <summary>
/// Turns the org cluster's reachability events into hints for membership (probe that endpoint now) and for the
/// channels' elections (through the peer actor: a lost leader is replaced at once), and downs
/// peers that gossip has purged so the cluster converges. Signed alive messages stay the truth.
/// </summary>
public sealed class ClusterHintsActor : ReceiveActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClusterHintsActor(IActorRef membership)
    {
        Receive<ClusterEvent.UnreachableMember>(m => Suspect(membership, m.Member, "unreachable"));
        Receive<ClusterEvent.ReachableMember>(m => Hint(membership, m.Member, "reachable again"));
        Receive<ClusterEvent.MemberRemoved>(m => Suspect(membership, m.Member, "removed"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<PeerPurged>(OnPurged);
    }

    public static Props Props(IActorRef membership) => Akka.Actor.Props.Create(() => new ClusterHintsActor(membership));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private string? Hint(IActorRef membership, Member member, string what)
    {
        if (member.Address.Equals(_cluster.SelfAddress) || member.Address.Host is null || member.Address.Port is null)
        {
            return null;
        }
        _log.Info("Cluster says {Address} is {What}: probing it", member.Address, what);
        var endpoint = $"{member.Address.Host}:{member.Address.Port}";
        membership.Tell(new ProbeEndpoint(endpoint));
        return endpoint;
    }

    /// <summary>Unreachable or removed: membership probes it, and the channels' elections hear of it (fast failover).</summary>
    private void Suspect(IActorRef membership, Member member, string what)
    {
        if (Hint(membership, member, what) is { } endpoint)
        {
            Context.Parent.Tell(new EndpointSuspected(endpoint));
        }
    }

    private void OnPurged(PeerPurged purged)
    {
        var endpoint = purged.Peer.InternalEndpoint.Length > 0 ? purged.Peer.InternalEndpoint : purged.Peer.ExternalEndpoint;
        if (endpoint.Length == 0)
        {
            return;
        }
        var address = Address.Parse(AkkaNodeConfig.AddressOf(endpoint, _cluster.SelfAddress.Protocol));
        if (_cluster.State.Members.Any(m => m.Address.Equals(address)))
        {
            _log.Info("Downing {Address}: gossip purged peer {Peer}", address, purged.Peer.PkiId);
            _cluster.Down(address);
        }
    }
}
