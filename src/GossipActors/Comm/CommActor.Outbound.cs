using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Comm;

/// <summary>Outbound: endpoint resolution, handshake on first contact, bounded links and per-peer queues, acknowledgements.</summary>
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

    private void OnSendToEndpoint(SendToEndpoint message)
    {
        if (message.AwaitsResponse is { } nonce)
        {
            _requests.Add(nonce, message.Endpoint, _time.GetUtcNow());
        }
        Enqueue(message.Endpoint, message.Envelope, peer: null);
    }

    private void Enqueue(string endpoint, SignedEnvelope envelope, PkiId? peer)
    {
        var link = LinkFor(endpoint);
        link.LastUsed = _time.GetUtcNow();
        if (_faults.Drops(peer ?? link.Peer?.PkiId, endpoint))
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

    /// <summary>The link to an endpoint; at most maxConnections links, the least recently used (idle first) making room.</summary>
    private PeerLink LinkFor(string endpoint)
    {
        if (_links.TryGetValue(endpoint, out var link))
        {
            return link;
        }
        if (_links.Count >= _settings.MaxConnections)
        {
            var victim = _links.Values.OrderBy(l => l.IsIdle ? 0 : 1).ThenBy(l => l.LastUsed).First();
            RemoveLink(victim);
        }
        string? address;
        try
        {
            address = WithoutUid(_resolver.Resolve(endpoint).ToString());
        }
        catch (ArgumentException)
        {
            address = null;
        }
        link = new PeerLink(endpoint, new PeerSendQueue(_settings.SendQueueSize, _settings.SendWindow), address) { LastUsed = _time.GetUtcNow() };
        _links[endpoint] = link;
        if (address is not null)
        {
            _linksByAddress[address] = link;
        }
        return link;
    }

    private void RemoveLink(PeerLink link)
    {
        for (var i = 0; i < link.Queue.Waiting; i++)
        {
            _counters.QueueOverflow();
        }
        _links.Remove(link.Endpoint);
        if (link.Address is not null && _linksByAddress.GetValueOrDefault(link.Address) == link)
        {
            _linksByAddress.Remove(link.Address);
        }
        if (link.Remote is not null && _linksByRemote.GetValueOrDefault(link.Remote) == link)
        {
            _linksByRemote.Remove(link.Remote);
        }
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
            Self.Tell(new ResolveFailed(endpoint, ReachFailure.Describe(ex, _settings.ResolveTimeout), ex.Message));
            return;
        }
        Context.ActorSelection(path).ResolveOne(_settings.ResolveTimeout).PipeTo(Self,
            success: comm => new Resolved(endpoint, comm),
            failure: ex => new ResolveFailed(endpoint, ReachFailure.Describe(ex, _settings.ResolveTimeout), ex.GetBaseException().Message));
    }

    private void OnResolved(Resolved message)
    {
        if (!_links.TryGetValue(message.Endpoint, out var link))
        {
            return; // evicted meanwhile
        }
        link.Resolving = false;
        SetRemote(link, message.Comm);
        link.Session = null;
        StartHandshake(message.Comm, link, _time.GetUtcNow());
    }

    private void SetRemote(PeerLink link, IActorRef? remote)
    {
        if (link.Remote is { } previous && _linksByRemote.GetValueOrDefault(previous) == link)
        {
            _linksByRemote.Remove(previous);
        }
        link.Remote = remote;
        if (remote is not null)
        {
            _linksByRemote[remote] = link;
        }
    }

    /// <summary>From now on the link sends under <paramref name="session"/> to <paramref name="remote"/>; counts start again.</summary>
    private void Attach(PeerLink link, IActorRef remote, Session session, DateTimeOffset now)
    {
        SetRemote(link, remote);
        link.Session = session;
        link.Queue.Reset();
        link.LastAckProgress = now;
        Pump(link);
    }

    private void OnResolveFailed(ResolveFailed message)
    {
        if (!_links.TryGetValue(message.Endpoint, out var link))
        {
            return;
        }
        link.Resolving = false;
        // Membership says it in gossip's words for bootstrap and anchor peers, and declares known peers dead.
        _log.Debug("Could not reach {0}: {1} ({2})", message.Endpoint, message.Reason, message.Detail);
        NotifyUnreachable(link, message.Reason);
    }

    private void Pump(PeerLink link)
    {
        if (link.Remote is null || link.Session is null)
        {
            return;
        }
        if (link.Session.Closed)
        {
            link.Session = null; // evicted: agree a new one
            StartHandshake(link.Remote, link, _time.GetUtcNow());
            return;
        }
        foreach (var envelope in link.Queue.TakeSendable())
        {
            link.Remote.Tell(link.Session.Seal(envelope), Self);
            _counters.Sent();
        }
    }

    private void OnAck(Session session, CommAck ack, DateTimeOffset now)
    {
        if (_linksByRemote.TryGetValue(session.Remote, out var link) && link.Session == session && link.Queue.Acknowledge(ack.Received))
        {
            link.LastAckProgress = now;
            Pump(link);
        }
    }

    private void OnCheckAcks()
    {
        var now = _time.GetUtcNow();
        foreach (var link in _links.Values)
        {
            if (link.Queue.InFlight > 0 && now - link.LastAckProgress >= _settings.AckTimeout)
            {
                link.Queue.ForgetInFlight();
                link.LastAckProgress = now;
                Pump(link);
            }
            else if (link.Remote is { } remote && link.Session is null && now - link.HandshakeSentAt >= _settings.AckTimeout)
            {
                StartHandshake(remote, link, now); // the answer was lost: ask again
            }
        }
        foreach (var stale in _pending.Where(p => now - p.Value.SentAt >= _settings.AckTimeout * 2).ToList())
        {
            stale.Value.Key.Dispose();
            _pending.Remove(stale.Key);
        }
        foreach (var old in _handshakeRequests.Where(r => now - r.Value >= _settings.AckTimeout).Select(r => r.Key).ToList())
        {
            _handshakeRequests.Remove(old);
        }
    }

    private void ForgetEndpointsOfEvictedIdentities()
    {
        foreach (var unknown in _endpoints.Keys.Where(p => !_guard.Identities.TryGet(p, out _)).ToList())
        {
            _endpoints.Remove(unknown); // its identity was evicted: nothing would be accepted from it anyway
        }
    }

    private void OnDisassociated(DisassociatedEvent association)
    {
        foreach (var link in _links.Values.Where(l => l.Remote?.Path.Address == association.RemoteAddress).ToList())
        {
            SetRemote(link, null); // a restarted peer is a new actor: resolve again on the next send
            link.Session = null;
            NotifyUnreachable(link, "association lost");
        }
        foreach (var pending in _pending.Where(p => p.Value.Remote.Path.Address == association.RemoteAddress).ToList())
        {
            pending.Value.Key.Dispose();
            _pending.Remove(pending.Key);
        }
        _sessions.RemoveWhere(s => s.Remote.Path.Address == association.RemoteAddress);
    }

    private void NotifyUnreachable(PeerLink link, string reason) =>
        _subscribers.TellMembership(new PeerUnreachable(link.Peer?.PkiId, link.Endpoint, reason));
}
