using Akka.Actor;
using Akka.Event;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Comm;

/// <summary>
/// Handshakes: agreeing sessions, and the endpoint-to-identity binding. A link's identity is set or changed only by
/// the answer to a handshake we sent to the actor at that endpoint (the answer names our ephemeral key, which only
/// that actor received); a handshake someone sends us binds nothing but its own session.
/// </summary>
public sealed partial class CommActor
{
    private void OnHandshake(GuardVerdict.Accepted accepted, IActorRef from, DateTimeOffset now)
    {
        var handshake = accepted.Message.Conn;
        var peer = accepted.Sender;
        var senderAddress = AddressOf(from);
        if (Handshake.CheckBinding(handshake, senderAddress, _selfAddress, now) is { } bindingError)
        {
            Reject(new GuardVerdict.Rejected(Rejection.BadHandshakeBinding, bindingError, peer.ToString()), from);
            return;
        }
        if (handshake.ReplyRequested)
        {
            Answer(handshake, peer, from, senderAddress, now);
        }
        else
        {
            OnAnswer(handshake, peer, from, senderAddress, now);
        }
    }

    /// <summary>We are asked: agree a session, answer, and use it for our own link there if the same identity is bound to it.</summary>
    private void Answer(ConnectionHandshake handshake, PeerIdentityInfo peer, IActorRef from, string senderAddress, DateTimeOffset now)
    {
        using var ephemeral = EphemeralKey.Create();
        var keys = SessionKeys.Agree(ephemeral, handshake.EphemeralKey.Span, weInitiated: false,
            initiator: peer.PkiId, responder: _self.PkiId, senderAddress, _selfAddress);
        if (keys is null)
        {
            Reject(new GuardVerdict.Rejected(Rejection.BadHandshakeBinding, "unusable ephemeral key", peer.ToString()), from);
            return;
        }
        var session = new Session(keys, weInitiated: false, peer, from, handshake.TimestampUnixMs, now);
        _sessions.Add(session);
        from.Tell(Handshake.Create(_self, _selfAddress, senderAddress, now, ephemeral.Public, answering: handshake.EphemeralKey), Self);
        // A restarted peer (new actor, same identity) contacts us: adopt its newer session instead of waiting for ours to fail.
        // An older handshake (a replay) never replaces a newer session; another identity never takes over the link.
        if (_linksByAddress.TryGetValue(senderAddress, out var link) && link.Peer?.PkiId == peer.PkiId
            && (link.Session is null or { Closed: true } || handshake.TimestampUnixMs > link.Session.PeerHandshakeUnixMs))
        {
            Attach(link, from, session, now);
        }
    }

    /// <summary>The answer to a handshake we sent: the session is agreed, and the answering identity is proven at that endpoint.</summary>
    private void OnAnswer(ConnectionHandshake handshake, PeerIdentityInfo peer, IActorRef from, string senderAddress, DateTimeOffset now)
    {
        if (!_pending.TryGetValue(handshake.PeerEphemeralKey, out var pending) || !pending.Remote.Equals(from))
        {
            Reject(new GuardVerdict.Rejected(Rejection.UnsolicitedHandshake,
                "answers a handshake we did not send to it, or no longer wait for", peer.ToString()), from);
            return;
        }
        _pending.Remove(handshake.PeerEphemeralKey);
        var keys = SessionKeys.Agree(pending.Key, handshake.EphemeralKey.Span, weInitiated: true,
            initiator: _self.PkiId, responder: peer.PkiId, _selfAddress, senderAddress);
        pending.Key.Dispose();
        if (keys is null)
        {
            Reject(new GuardVerdict.Rejected(Rejection.BadHandshakeBinding, "unusable ephemeral key", peer.ToString()), from);
            return;
        }
        var session = new Session(keys, weInitiated: true, peer, from, handshake.TimestampUnixMs, now);
        _sessions.Add(session);
        if (pending.Link is not { } link || !_links.TryGetValue(link.Endpoint, out var current) || current != link)
        {
            return; // a session for the peer's own use (we asked it to handshake again); no link of ours to bind
        }
        if (link.Peer is { } known && known.PkiId != peer.PkiId)
        {
            if (known.MspId != peer.MspId)
            {
                Reject(new GuardVerdict.Rejected(Rejection.AuthenticationFailure,
                    $"endpoint {link.Endpoint} was {known}, now answers as {peer} of another org", peer.ToString()), from);
                return;
            }
            // The new identity signed this answer, at this endpoint, in the same org: a renewed certificate.
            _log.Info("Peer {Old} at {Endpoint} renewed its certificate; now {New}", known, link.Endpoint, peer);
            Forget(known.PkiId);
            _subscribers.TellMembership(new IdentityRenewed(known.PkiId, peer.PkiId));
        }
        link.Peer = peer;
        Attach(link, from, session, now);
    }

    /// <summary>Sends a handshake that asks for an answer; the answer must name this ephemeral key.</summary>
    private void StartHandshake(IActorRef remote, PeerLink? link, DateTimeOffset now)
    {
        while (_pending.Count >= _settings.MaxConnections)
        {
            var oldest = _pending.MinBy(p => p.Value.SentAt);
            oldest.Value.Key.Dispose();
            _pending.Remove(oldest.Key);
        }
        var ephemeral = EphemeralKey.Create();
        _pending[ByteString.CopyFrom(ephemeral.Public)] = new PendingHandshake(ephemeral, remote, link, now);
        if (link is not null)
        {
            link.HandshakeSentAt = now;
        }
        remote.Tell(Handshake.Create(_self, _selfAddress, AddressOf(remote), now, ephemeral.Public, answering: null), Self);
    }

    /// <summary>
    /// Something came under a session we do not hold (we restarted, or evicted it): ask its sender for a new handshake,
    /// at most once per sender per ack timeout, remembering at most maxConnections addresses.
    /// </summary>
    private void RequestHandshake(IActorRef from, DateTimeOffset now)
    {
        if (from.IsNobody() || from.Equals(Context.System.DeadLetters) || IsLocalTemp(from))
        {
            return;
        }
        if (_handshakeRequests.TryGetValue(from, out var askedAt) && now - askedAt < _settings.AckTimeout)
        {
            return;
        }
        if (_handshakeRequests.Count >= _settings.MaxConnections)
        {
            foreach (var old in _handshakeRequests.Where(r => now - r.Value >= _settings.AckTimeout).Select(r => r.Key).ToList())
            {
                _handshakeRequests.Remove(old);
            }
            if (_handshakeRequests.Count >= _settings.MaxConnections)
            {
                return;
            }
        }
        _handshakeRequests[from] = now;
        StartHandshake(from, _linksByRemote.GetValueOrDefault(from), now);
    }

    private static bool IsLocalTemp(IActorRef actor) => actor.Path.Elements.FirstOrDefault() == "temp";
}
