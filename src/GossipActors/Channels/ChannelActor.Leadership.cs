using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Election;

namespace GossipActors.Channels;

/// <summary>
/// Leadership: the channel's election child gets the org's channel peers, the leadership messages, the cluster's
/// hints and the delivery's "ordering service unreachable"; the channel keeps the last <see cref="LeadershipChanged"/>
/// for its status and passes it on to whoever delivers (the event stream carries it for observers).
/// </summary>
public sealed partial class ChannelActor
{
    private IActorRef _election = ActorRefs.Nobody;
    private IReadOnlyList<PkiId> _electionPeers = [];
    private LeadershipChanged? _leadership;
    private IReadOnlyDictionary<string, PkiId> _peerAtEndpoint = new Dictionary<string, PkiId>();

    private void StartElection(ChannelOptions options, ChannelActorContext context)
    {
        if (options.Election is null)
        {
            return;
        }
        _election = Context.ActorOf(ElectionActor.Props(context.Identity, options.Name, options.Election, context.Incarnation,
            context.Comm, context.Time, new ElectionMetrics(context.Metrics, options.Name)), "election");
    }

    private void LeadershipReceives()
    {
        Receive<LeadershipChanged>(OnLeadershipChanged);
        Receive<RequestElectionPeers>(_ => Sender.Tell(new ElectionPeers(_electionPeers)));
        Receive<OrdererUnreachable>(m =>
        {
            _log.Warning("Channel {Channel}: the ordering service has been unreachable for {For}", Channel, m.For);
            _election.Tell(m); // a dynamic leader yields; a static one keeps retrying
        });
        Receive<EndpointSuspected>(m =>
        {
            if (_peerAtEndpoint.TryGetValue(m.Endpoint, out var peer))
            {
                _election.Tell(new PeerSuspected(peer));
            }
        });
        Receive<GetElectionStatus>(m => _election.Forward(m));
    }

    private void OnLeadershipChanged(LeadershipChanged changed)
    {
        _leadership = changed;
        _delivery?.Tell(changed); // the delivery child connects to the ordering service only while we lead
        Context.System.EventStream.Publish(new LeadershipObserved(_context.Identity.PkiId, changed));
    }

    /// <summary>Tells the election the org's channel peers when they changed.</summary>
    private void UpdateElectionPeers()
    {
        var peers = _membership.SameOrg.Peers.Select(p => p.Id).ToList();
        if (peers.SequenceEqual(_electionPeers))
        {
            return;
        }
        _electionPeers = peers;
        _election.Tell(new ElectionPeers(peers));
    }

    private void RememberEndpoints(Discovery.MembershipSnapshot snapshot) =>
        _peerAtEndpoint = snapshot.Alive
            .Where(a => a.InternalEndpoint.Length > 0)
            .GroupBy(a => a.InternalEndpoint, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().PkiId, StringComparer.Ordinal);

    /// <summary>A leadership message that passed the channel's guard (member org, own org, channel view).</summary>
    private void OnLeadershipInbound(Inbound inbound)
    {
        if (_election.IsNobody())
        {
            Refuse(ChannelRejection.Malformed, inbound.Sender, inbound.Message.ContentCase, "this channel runs no election");
            return;
        }
        _election.Forward(inbound);
    }
}
