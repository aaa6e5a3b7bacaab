using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Protocol;
using GossipActors.Discovery;
using GossipActors.Election;

namespace GossipActors.Hosting;

/// <summary>
/// The root of one peer (/user/peer): builds comm, membership and one channel actor per joined channel from
/// <see cref="PeerComponents"/>, and routes
/// operator and test-harness messages to the child that owns them. Its children are reachable from other nodes (comm
/// by design), so it resumes a child on a remote Kill (<see cref="Boundary.BoundarySupervision"/>); children that fail
/// otherwise are restarted, the exception logged by supervision. Org-cluster hints come in process from the org system.
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
        Receive<OrgClusterAttached>(m => clusterHints = m.Hints);
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
        Receive<GetRecentBlocks>(m => ToChannel(m.Channel, m));
        Receive<LeaveChannel>(m => ToChannel(m.Channel, m));
        Receive<OrdererUnreachable>(m => ToChannel(m.Channel, m));
        Receive<EndpointSuspected>(m =>
        {
            foreach (var channel in components.Channels ?? [])
            {
                Context.Child(channel.ActorName).Tell(m);
            }
        });
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

    protected override SupervisorStrategy SupervisorStrategy() => Boundary.BoundarySupervision.ResumeOnKill();

    public static Props Props(PeerComponents components) => Akka.Actor.Props.Create(() => new PeerActor(components));
}

/// <summary>In process, from <see cref="PeerNode"/>: the org system's hints actor, to which purges are reported.</summary>
public sealed record OrgClusterAttached(IActorRef Hints) : Akka.Actor.INoSerializationVerificationNeeded;
