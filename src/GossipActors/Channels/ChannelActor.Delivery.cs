using Akka.Actor;
using Akka.Event;
using GossipActors.Delivery;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Channels;

/// <summary>
/// Delivery from the ordering service: the channel's delivery child, leadership changes passed to it (from the
/// election actor, or once at start for a static leader), and, when peer.deliveryclient.blockGossipEnabled = false,
/// no block gossip at all (every peer pulls from the orderer itself).
/// </summary>
public sealed partial class ChannelActor
{
    private IActorRef? _delivery;

    /// <summary>True when blocks are not gossiped: no push, no digests, no pull (Fabric 2.2+ mode).</summary>
    private bool BlockGossipOff => _options.Delivery is { BlockGossipEnabled: false };

    /// <summary>Starts the delivery child if the channel has orderers; a static leader (or every peer, when block
    /// gossip is off) tells itself it leads.</summary>
    private void StartDelivery()
    {
        if (_options.Delivery is not { Orderers.Count: > 0 } delivery)
        {
            return;
        }
        _delivery = Context.ActorOf(DeliveryActor.Props(Channel, _context.Identity, _context.Verifier, delivery, _context.Time), "delivery");
        if (delivery.StaticLeader || delivery.AlwaysPull)
        {
            Self.Tell(new LeadershipChanged(Channel, delivery.StaticLeader, delivery.StaticLeader ? _context.Identity.PkiId : null));
        }
    }

    private void StopDelivery()
    {
        if (_delivery is not null)
        {
            Context.Stop(_delivery);
            _delivery = null;
        }
    }

    private void DeliveryReceives()
    {
        Receive<LeadershipChanged>(m => _delivery?.Forward(m));
        Receive<OrdererUnreachable>(m =>
            _log.Warning("Channel {Channel}: the ordering service has been unreachable for {For}", Channel, m.For));
        Receive<GetDeliveryStatus>(m =>
        {
            if (_delivery is null)
            {
                Sender.Tell(new DeliveryStatus(false, false, "", 0, 0, 0, new Dictionary<string, long>()));
                return;
            }
            _delivery.Forward(m);
        });
    }

    /// <summary>The message kinds that carry or announce blocks between peers.</summary>
    private static bool IsBlockGossip(Kind kind) =>
        kind is Kind.DataMsg or Kind.DataDigest or Kind.DataReq or Kind.Hello or Kind.PullDigest or Kind.PullReq or Kind.PullRes;

    /// <summary>False for block gossip when it is off: such sends are dropped and such inbound is ignored.</summary>
    private bool GossipAllows(Kind kind) => !BlockGossipOff || !IsBlockGossip(kind);
}
