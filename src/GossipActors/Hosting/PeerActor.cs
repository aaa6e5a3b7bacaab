using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Protocol;
using GossipActors.Discovery;

namespace GossipActors.Hosting;

/// <summary>
/// The root of one peer (/user/peer): builds comm, membership and one channel actor per joined channel from
/// <see cref="PeerComponents"/>, and routes
/// operator and test-harness messages to the child that owns them. Children that fail are restarted; the
/// exception is logged by supervision.
/// </summary>
public sealed class PeerActor : ReceiveActor
{
    public PeerActor(PeerComponents components)
    {
        // Comm's subscriptions and counters are held here and passed in its Props, so they survive a restart of comm.
        var comm = Context.ActorOf(CommActor.Props(components.Identity, components.Certificates, components.Comm,
            components.Resolver, components.Time, new CommCounters(components.Metrics), new CommSubscriptions()), EndpointResolver.CommActorName);
        var membership = Context.ActorOf(MembershipActor.Props(components.Identity, components.Membership, comm,
            components.Time, components.Random), "membership");

        Receive<BlockTraffic>(m => comm.Forward(m));
        Receive<UnblockTraffic>(m => comm.Forward(m));
        Receive<GetCommStats>(m => comm.Forward(m));
        Receive<GetMembership>(m => membership.Forward(m));
        Receive<SubscribeMembership>(m => membership.Forward(m));
        Receive<ProbeEndpoint>(m => membership.Forward(m));
        IActorRef? clusterHints = null;
        if (((ExtendedActorSystem)Context.System).Provider is Akka.Cluster.ClusterActorRefProvider)
        {
            clusterHints = Context.ActorOf(ClusterHintsActor.Props(membership), "cluster-hints");
        }
        Receive<PeerPurged>(m => clusterHints?.Tell(m));

        foreach (var channel in components.Channels ?? [])
        {
            var verifier = new BlockVerifier(components.Certificates, new HashSet<string>(StringComparer.Ordinal) { channel.OrdererOrg });
            var context = new ChannelActorContext(components.Identity, components.Membership.Incarnation,
                components.Membership.ExternalEndpoint.Length > 0, comm, membership, verifier, components.OpenLedger,
                components.Time, new Random(components.Random.Next()), components.Metrics);
            Context.ActorOf(ChannelActor.Props(channel, context), channel.ActorName);
        }
        Receive<InjectBlock>(m => ToChannel(m.Channel, m));
        Receive<GetChannelStatus>(m => ToChannel(m.Channel, m));
        Receive<LeaveChannel>(m => ToChannel(m.Channel, m));
        Receive<Delivery.GetDeliveryStatus>(m => ToChannel(m.Channel, m));
    }

    private void ToChannel(string channel, object message)
    {
        var child = Context.Child(ChannelOptions.ActorNameOf(channel));
        if (child.IsNobody())
        {
            Sender.Tell(new UnknownChannel(channel));
            return;
        }
        child.Forward(message);
    }

    public static Props Props(PeerComponents components) => Akka.Actor.Props.Create(() => new PeerActor(components));
}
