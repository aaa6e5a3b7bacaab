using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>Outbound: endpoint resolution, handshake on first contact, bounded per-peer queues, acknowledgements.</summary>
public sealed partial class CommActor
{
    private void OnSendTo(SendTo message)
    {
        if (_endpoints.TryGetValue(message.Peer, out var endpoint))
        {
            Enqueue(endpoint, message.Envelope, message.Peer);
        }
        else
        {
            _log.Warning("No endpoint known for peer {Peer}; message dropped", message.Peer);
            Sender.Tell(new PeerUnreachable(message.Peer, "", "no endpoint known"));
        }
    }

    private void Enqueue(string endpoint, SignedEnvelope envelope, PkiId? peer)
    {
        var link = LinkFor(endpoint);
        if (_faults.Drops(peer ?? link.Peer, endpoint))
        {
            _counters.FaultFilterDrop();
            return;
        }
        if (!link.Queue.Enqueue(envelope))
        {
            _counters.QueueOverflow();
        }
        if (link.Remote is null)
        {
            StartResolving(link);
        }
        else
        {
            Pump(link);
        }
    }

    private PeerLink LinkFor(string endpoint)
    {
        if (!_links.TryGetValue(endpoint, out var link))
        {
            link = new PeerLink(endpoint, new PeerSendQueue(_settings.SendQueueSize, _settings.SendWindow));
            _links[endpoint] = link;
        }
        return link;
    }

    private void StartResolving(PeerLink link)
    {
        if (link.Resolving)
        {
            return;
        }
        link.Resolving = true;
        var endpoint = link.Endpoint;
        ActorPath path;
        try
        {
            path = _resolver.Resolve(endpoint);
        }
        catch (ArgumentException ex)
        {
            Self.Tell(new ResolveFailed(endpoint, ex.Message));
            return;
        }
        Context.ActorSelection(path).ResolveOne(_settings.ResolveTimeout).PipeTo(Self,
            success: comm => new Resolved(endpoint, comm),
            failure: ex => new ResolveFailed(endpoint, ex.GetBaseException().Message));
    }

    private void OnResolved(Resolved message)
    {
        var link = LinkFor(message.Endpoint);
        link.Resolving = false;
        Attach(link, message.Comm);
        Pump(link);
    }

    private void Attach(PeerLink link, IActorRef comm)
    {
        if (link.Remote is { } previous)
        {
            _linksByRemote.Remove(previous);
        }
        link.Remote = comm;
        _linksByRemote[comm] = link;
        link.Queue.Reset();
        link.Queue.CountDirectSend();
        comm.Tell(Handshake.Create(_self, _selfAddress, AddressOf(comm), _time.GetUtcNow(), replyRequested: true), Self);
    }

    private void OnResolveFailed(ResolveFailed message)
    {
        var link = LinkFor(message.Endpoint);
        link.Resolving = false;
        _log.Info("Could not reach {Endpoint}: {Reason}", message.Endpoint, message.Reason);
        NotifyUnreachable(link, message.Reason);
    }

    private void Pump(PeerLink link)
    {
        if (link.Remote is null)
        {
            return;
        }
        foreach (var envelope in link.Queue.TakeSendable())
        {
            link.Remote.Tell(envelope, Self);
            _counters.Sent();
        }
    }

    private void OnAck(CommAck ack)
    {
        if (_linksByRemote.TryGetValue(Sender, out var link) && link.Queue.Acknowledge(ack.Received))
        {
            link.LastAckProgress = _time.GetUtcNow();
            Pump(link);
        }
    }

    private void OnCheckAcks()
    {
        var now = _time.GetUtcNow();
        foreach (var link in _links.Values.Where(l => l.Queue.InFlight > 0 && now - l.LastAckProgress >= _settings.AckTimeout))
        {
            link.Queue.ForgetInFlight();
            link.LastAckProgress = now;
            Pump(link);
        }
    }

    private void OnDisassociated(DisassociatedEvent association)
    {
        foreach (var link in _links.Values.Where(l => l.Remote?.Path.Address == association.RemoteAddress).ToList())
        {
            _linksByRemote.Remove(link.Remote!);
            link.Remote = null; // a restarted peer is a new actor: resolve again on the next send
            NotifyUnreachable(link, "association lost");
        }
        foreach (var session in _sessions.Keys.Where(r => r.Path.Address == association.RemoteAddress).ToList())
        {
            _sessions.Remove(session);
        }
    }

    private void NotifyUnreachable(PeerLink link, string reason)
    {
        foreach (var subscriber in _membershipSubscribers)
        {
            subscriber.Tell(new PeerUnreachable(link.Peer, link.Endpoint, reason));
        }
    }
}
