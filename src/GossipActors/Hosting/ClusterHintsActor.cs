using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using GossipActors.Discovery;

namespace GossipActors.Hosting;

/// <summary>
/// Turns the org cluster's reachability events into hints for membership (probe that endpoint now). Signed alive
/// messages stay the truth. It never downs a node: a purge can follow from what other peers claim (a renewed
/// certificate at an endpoint), and nothing a peer claims about another may shut that other down. A restarted node
/// rejoins as a new incarnation of its address, which the cluster accepts without downing.
/// </summary>
public sealed class ClusterHintsActor : ReceiveActor
{
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ClusterHintsActor(IActorRef membership)
    {
        Receive<ClusterEvent.UnreachableMember>(m => Hint(membership, m.Member, "unreachable"));
        Receive<ClusterEvent.ReachableMember>(m => Hint(membership, m.Member, "reachable again"));
        Receive<ClusterEvent.MemberRemoved>(m => Hint(membership, m.Member, "removed"));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<PeerPurged>(OnPurged);
    }

    public static Props Props(IActorRef membership) => Akka.Actor.Props.Create(() => new ClusterHintsActor(membership));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Hint(IActorRef membership, Member member, string what)
    {
        if (member.Address.Equals(_cluster.SelfAddress) || member.Address.Host is null || member.Address.Port is null)
        {
            return;
        }
        _log.Info("Cluster says {Address} is {What}: probing it", member.Address, what);
        membership.Tell(new ProbeEndpoint($"{member.Address.Host}:{member.Address.Port}"));
    }

    private void OnPurged(PeerPurged purged) =>
        _log.Info("Gossip purged peer {Peer} ({Cause}); its node is left alone", purged.Peer.PkiId, purged.Cause);
}
