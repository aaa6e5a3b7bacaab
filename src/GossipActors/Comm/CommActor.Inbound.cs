using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>Inbound: the guard ladder, handshakes, and routing to membership or the named channel.</summary>
public sealed partial class CommActor
{
    private void OnInbound(SignedEnvelope envelope)
    {
        var session = SessionOf(Sender);
        session.Received++;
        if (session.Received % (ulong)Math.Max(1, _settings.SendWindow / 4) == 0)
        {
            Sender.Tell(new CommAck { Received = session.Received }, Self);
        }
        if (!_faults.IsEmpty && session.Peer is { } known && _faults.Drops(known.PkiId, _endpoints.GetValueOrDefault(known.PkiId)))
        {
            _counters.FaultFilterDrop();
            return;
        }
        _counters.Received();
        var now = _time.GetUtcNow();
        switch (_guard.Check(envelope, session.Peer, now))
        {
            case GuardVerdict.Rejected rejected:
                Reject(rejected, session);
                break;
            case GuardVerdict.Duplicate:
                _counters.Duplicate();
                break;
            case GuardVerdict.Accepted { Message.ContentCase: Kind.Conn } accepted:
                OnHandshake(accepted, session, now);
                break;
            case GuardVerdict.Accepted accepted:
                if (!_faults.IsEmpty && _faults.Drops(accepted.Sender.PkiId, _endpoints.GetValueOrDefault(accepted.Sender.PkiId)))
                {
                    _counters.FaultFilterDrop();
                    return;
                }
                Route(accepted, envelope, now);
                break;
        }
    }

    private InboundSession SessionOf(IActorRef sender)
    {
        if (!_sessions.TryGetValue(sender, out var session))
        {
            session = new InboundSession();
            _sessions[sender] = session;
        }
        return session;
    }

    private void Reject(GuardVerdict.Rejected rejected, InboundSession session)
    {
        if (IsBenignStaleness(rejected, $"from {rejected.Claimed} at {Sender.Path.Address}"))
        {
            return;
        }
        _counters.Rejected(rejected.Reason);
        if (_warnings.ShouldLog($"{rejected.Claimed}|{rejected.Reason}", _time.GetUtcNow(), out var suppressed))
        {
            _log.Warning("Rejected message from {Sender} at {Address}: {Reason}: {Detail}{Suppressed}",
                rejected.Claimed, Sender.Path.Address, rejected.Reason, rejected.Detail, Suppressed(suppressed));
        }
        if (rejected.Reason == Rejection.NoHandshake && !session.HandshakeRequested)
        {
            // We lost (or never had) this sender's handshake, e.g. after we restarted: ask for it once.
            session.HandshakeRequested = true;
            Sender.Tell(Handshake.Create(_self, _selfAddress, AddressOf(Sender), _time.GetUtcNow(), replyRequested: true), Self);
        }
    }

    /// <summary>
    /// A signed statement (alive, state info, leadership) older than one already accepted is old news relayed by gossip
    /// (anti-entropy, membership responses, slow paths): dropped, counted apart at debug level, never a warning or a
    /// rejection. A replay by an attacker looks the same and is just as harmless: it is dropped.
    /// </summary>
    private bool IsBenignStaleness(GuardVerdict.Rejected rejected, string where)
    {
        if (rejected.Reason != Rejection.Stale)
        {
            return false;
        }
        _counters.StaleDropped();
        _log.Debug("Dropped stale message {Where}: {Detail}", where, rejected.Detail);
        return true;
    }

    private static string Suppressed(long count) => count > 0 ? $" ({count} more like it suppressed)" : "";

    private void OnHandshake(GuardVerdict.Accepted accepted, InboundSession session, DateTimeOffset now)
    {
        var handshake = accepted.Message.Conn;
        var peer = accepted.Sender;
        if (Handshake.CheckBinding(handshake, AddressOf(Sender), _selfAddress, now) is { } bindingError)
        {
            Reject(new GuardVerdict.Rejected(Rejection.BadHandshakeBinding, bindingError, peer.ToString()), session);
            return;
        }
        if (session.Peer is { } previous && previous.PkiId != peer.PkiId)
        {
            if (previous.MspId != peer.MspId)
            {
                Reject(new GuardVerdict.Rejected(Rejection.AuthenticationFailure,
                    $"connection of {previous} now claims to be {peer} of another org", peer.ToString()), session);
                return;
            }
            _log.Info("Peer {Old} renewed its certificate; now {New}", previous, peer);
            Forget(previous.PkiId);
            foreach (var subscriber in _membershipSubscribers)
            {
                subscriber.Tell(new IdentityRenewed(previous.PkiId, peer.PkiId));
            }
        }
        session.Peer = peer;
        session.HandshakeRequested = false;
        if (handshake.ReplyRequested)
        {
            session.Received = 1; // the sender starts a new session with this handshake
        }
        var link = _links.Values.FirstOrDefault(l => l.Peer == peer.PkiId)
            ?? (_endpoints.TryGetValue(peer.PkiId, out var known) ? LinkFor(known) : null);
        if (handshake.ReplyRequested)
        {
            if (link is not null && !Equals(link.Remote, Sender))
            {
                Attach(link, Sender); // the peer restarted (new actor) or contacted us first: adopt its comm
                link.Peer = peer.PkiId;
                Pump(link);
            }
            else
            {
                link?.Queue.CountDirectSend();
                Sender.Tell(Handshake.Create(_self, _selfAddress, AddressOf(Sender), now, replyRequested: false), Self);
            }
        }
        if (link is not null)
        {
            link.Peer = peer.PkiId;
        }
    }

    private void Route(GuardVerdict.Accepted accepted, SignedEnvelope envelope, DateTimeOffset now)
    {
        var message = accepted.Message;
        string? internalEndpoint = null;
        IReadOnlyList<VerifiedAlive>? relayed = null;
        if (message.ContentCase == Kind.AliveMsg)
        {
            internalEndpoint = InternalEndpointOf(accepted.Sender, envelope);
            var endpoint = string.IsNullOrEmpty(internalEndpoint) ? message.AliveMsg.Membership.Endpoint : internalEndpoint;
            if (EndpointConflict(accepted.Sender, endpoint) is { } refused)
            {
                Reject(refused, SessionOf(Sender));
                return;
            }
            LearnEndpoint(accepted.Sender, endpoint);
        }
        IReadOnlyList<SignedEnvelope>? identities = null;
        if (message.ContentCase == Kind.MemRes)
        {
            relayed = VerifiedAlives(accepted.Sender, message.MemRes, now, out identities);
        }
        else if (message.ContentCase == Kind.MemReq)
        {
            // The guard has verified the requester's embedded alive; take what membership needs from it once, here.
            var own = message.MemReq.SelfInformation;
            relayed = [Learn(accepted.Sender, GossipMessage.Parser.ParseFrom(own.Payload).AliveMsg, own)];
        }
        if (IsMembershipKind(message.ContentCase))
        {
            var dialled = _linksByRemote.GetValueOrDefault(Sender)?.Endpoint;
            var inbound = new Inbound(accepted.Sender, message, envelope, internalEndpoint, dialled, relayed, identities);
            foreach (var subscriber in _membershipSubscribers)
            {
                subscriber.Tell(inbound);
            }
            return;
        }
        if (_channelSubscribers.TryGetValue(message.Channel, out var channel))
        {
            channel.Tell(new Inbound(accepted.Sender, message, envelope, null));
            return;
        }
        _counters.Rejected(Rejection.UnknownChannel);
        if (_warnings.ShouldLog($"{accepted.Sender}|{Rejection.UnknownChannel}|{message.Channel}", now, out var suppressed))
        {
            _log.Warning("Rejected {Kind} from {Sender}: channel '{Channel}' is not joined here{Suppressed}",
                message.ContentCase, accepted.Sender, message.Channel, Suppressed(suppressed));
        }
    }

    /// <summary>
    /// A membership response relays other peers' alive messages: each must pass the guard on its own. Rejected ones
    /// are counted and logged (naming the responder that relayed them); repeats of what we already hold are left out;
    /// older ones than we hold are normal anti-entropy (dropped quietly). Peer identity messages placed before the alive
    /// messages teach the guard the certificates that alive messages sent after publishCertPeriod no longer carry.
    /// </summary>
    private List<VerifiedAlive> VerifiedAlives(PeerIdentityInfo responder, MembershipResponse response, DateTimeOffset now,
        out IReadOnlyList<SignedEnvelope>? identities)
    {
        var verified = new List<VerifiedAlive>(response.Alive.Count);
        List<SignedEnvelope>? learned = null;
        foreach (var relayed in response.Alive)
        {
            switch (_guard.Check(relayed, connectionPeer: null, now))
            {
                case GuardVerdict.Accepted { Message.ContentCase: Kind.AliveMsg } ok:
                    verified.Add(Learn(ok.Sender, ok.Message.AliveMsg, relayed));
                    break;
                case GuardVerdict.Accepted { Message.ContentCase: Kind.PeerIdentity }:
                    (learned ??= []).Add(relayed);
                    break;
                case GuardVerdict.Rejected rejected when IsBenignStaleness(rejected, $"relayed by {responder}"):
                    break;
                case GuardVerdict.Rejected rejected:
                    _counters.Rejected(rejected.Reason);
                    if (_warnings.ShouldLog($"{rejected.Claimed}|{rejected.Reason}|relayed", now, out var suppressed))
                    {
                        _log.Warning("Rejected alive of {Claimed} relayed by {Responder}: {Reason}: {Detail}{Suppressed}",
                            rejected.Claimed, responder, rejected.Reason, rejected.Detail, Suppressed(suppressed));
                    }
                    break;
                case GuardVerdict.Duplicate:
                    _counters.Duplicate();
                    break;
            }
        }
        identities = learned;
        return verified;
    }

    /// <summary>Reads the internal endpoint of a verified alive (one signature check), and learns where its peer is.</summary>
    private VerifiedAlive Learn(PeerIdentityInfo sender, AliveMessage alive, SignedEnvelope envelope)
    {
        var internalEndpoint = InternalEndpointOf(sender, envelope);
        LearnEndpoint(sender, string.IsNullOrEmpty(internalEndpoint) ? alive.Membership.Endpoint : internalEndpoint);
        return new VerifiedAlive(sender, alive, envelope, internalEndpoint);
    }

    private static bool IsMembershipKind(Kind kind) =>
        kind is Kind.AliveMsg or Kind.MemReq or Kind.MemRes or Kind.PeerIdentity;

    /// <summary>
    /// A new PKI-ID at an endpoint where we know another peer: of the same org it is that peer with a renewed
    /// certificate (the old identity is forgotten, membership purges it); of another org it is an authentication
    /// failure, refused.
    /// </summary>
    private GuardVerdict.Rejected? EndpointConflict(PeerIdentityInfo sender, string endpoint)
    {
        if (string.IsNullOrEmpty(endpoint) || !_links.TryGetValue(endpoint, out var link) || link.Peer is not { } known
            || known == sender.PkiId || !_guard.Identities.TryGet(known, out var previous))
        {
            return null;
        }
        if (previous.MspId != sender.MspId)
        {
            return new GuardVerdict.Rejected(Rejection.AuthenticationFailure,
                $"claims endpoint {endpoint}, where {previous} of another org is known", sender.ToString());
        }
        _log.Info("Peer {Old} at {Endpoint} renewed its certificate; now {New}", previous, endpoint, sender);
        Forget(known);
        link.Peer = null;
        foreach (var subscriber in _membershipSubscribers)
        {
            subscriber.Tell(new IdentityRenewed(known, sender.PkiId));
        }
        return null;
    }

    /// <summary>The internal endpoint from the signed secret part, for peers of our own org only (verified once here).</summary>
    private string? InternalEndpointOf(PeerIdentityInfo sender, SignedEnvelope envelope) =>
        sender.MspId == _self.MspId ? EnvelopeCodec.InternalEndpoint(envelope, sender.Certificate.PublicKey) : null;

    private void LearnEndpoint(PeerIdentityInfo sender, string endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint) && sender.PkiId != _self.PkiId)
        {
            _endpoints[sender.PkiId] = endpoint;
            LinkFor(endpoint).Peer = sender.PkiId;
        }
    }
}
