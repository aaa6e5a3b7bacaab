using Akka.Actor;
using Akka.Event;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>Inbound: the bounded queue, the session MAC, the guard ladder, and routing to membership or the named channel.</summary>
public sealed partial class CommActor
{
    /// <summary>
    /// From the mailbox into the bounded queue, per sending actor (a remote comm: one per connection): cheap, so the
    /// mailbox drains as fast as it fills. A node that writes many sender references fills at most maxConnections shares.
    /// </summary>
    private void OnInbound(SignedEnvelope envelope)
    {
        if (!_inbound.TryEnqueue(Sender, (envelope, Sender)))
        {
            _counters.Rejected(Rejection.InboundOverflow);
            return;
        }
        if (!_draining)
        {
            _draining = true;
            Self.Tell(DrainInbound.Instance);
        }
    }

    private void Drain()
    {
        for (var i = 0; i < DrainBatch && _inbound.TryDequeue(out var item); i++)
        {
            Process(item.Envelope, item.From);
        }
        _draining = _inbound.Count > 0;
        if (_draining)
        {
            Self.Tell(DrainInbound.Instance);
        }
    }

    private void Process(SignedEnvelope envelope, IActorRef from)
    {
        _counters.Received();
        var now = _time.GetUtcNow();
        Session? session = null;
        if (!envelope.SessionId.IsEmpty && _sessions.TryGet(envelope.SessionId, out var named) && !named.Closed)
        {
            switch (named.Open(envelope, now))
            {
                case Session.Check.BadMac:
                    Reject(new GuardVerdict.Rejected(Rejection.BadMac, "session MAC does not verify", named.Peer.ToString()), from);
                    return;
                case Session.Check.Replayed:
                    Reject(new GuardVerdict.Rejected(Rejection.Replayed,
                        $"session counter {envelope.SessionCounter} is not above the last one accepted", named.Peer.ToString()), from);
                    return;
            }
            session = named;
            if (!_faults.IsEmpty && _faults.Drops(session.Peer.PkiId, _endpoints.GetValueOrDefault(session.Peer.PkiId)))
            {
                _counters.FaultFilterDrop();
                return;
            }
        }
        var verdict = _guard.Check(envelope, session?.Peer, now);
        if (session is not null && verdict is not GuardVerdict.Accepted { Message.ContentCase: Kind.Ack })
        {
            CountForFlowControl(session);
        }
        switch (verdict)
        {
            case GuardVerdict.Rejected rejected:
                Reject(rejected, from);
                if (rejected.Reason == Rejection.NoHandshake)
                {
                    RequestHandshake(from, now);
                }
                break;
            case GuardVerdict.Duplicate:
                _counters.Duplicate();
                break;
            case GuardVerdict.Accepted { Message.ContentCase: Kind.Conn } accepted:
                OnHandshake(accepted, from, now);
                break;
            case GuardVerdict.Accepted { Message.ContentCase: Kind.Ack } accepted:
                OnAck(session!, accepted.Message.Ack, now);
                break;
            case GuardVerdict.Accepted accepted:
                if (!_faults.IsEmpty && _faults.Drops(accepted.Sender.PkiId, _endpoints.GetValueOrDefault(accepted.Sender.PkiId)))
                {
                    _counters.FaultFilterDrop();
                    return;
                }
                Route(accepted, Session.Strip(envelope), session, now);
                break;
        }
    }

    /// <summary>Every window/4 envelopes under a session, the sender hears how many we took (under the same session).</summary>
    private void CountForFlowControl(Session session)
    {
        session.Received++;
        if (session.Received % (ulong)Math.Max(1, _settings.SendWindow / 4) == 0)
        {
            var ack = EnvelopeCodec.Unsigned(new GossipMessage { Ack = new CommAck { Received = session.Received } });
            session.Remote.Tell(session.Seal(ack), Self);
        }
    }

    private void Reject(GuardVerdict.Rejected rejected, IActorRef from)
    {
        if (IsBenignStaleness(rejected, $"from {rejected.Claimed} at {from.Path.Address}"))
        {
            return;
        }
        _counters.Rejected(rejected.Reason);
        if (_warnings.ShouldLog($"{rejected.Claimed}|{rejected.Reason}", _time.GetUtcNow(), out var suppressed))
        {
            _log.Warning("Rejected message from {Sender} at {Address}: {Reason}: {Detail}{Suppressed}",
                rejected.Claimed, from.Path.Address, rejected.Reason, rejected.Detail, Suppressed(suppressed));
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

    private void Route(GuardVerdict.Accepted accepted, SignedEnvelope envelope, Session? session, DateTimeOffset now)
    {
        var message = accepted.Message;
        string? internalEndpoint = null;
        string? requestedFrom = null;
        IReadOnlyList<VerifiedAlive>? relayed = null;
        IReadOnlyList<SignedEnvelope>? identities = null;
        switch (message.ContentCase)
        {
            case Kind.AliveMsg:
                internalEndpoint = InternalEndpointOf(accepted.Sender, envelope);
                if (EndpointProblem(accepted.Sender, message.AliveMsg, internalEndpoint) is { } refused)
                {
                    Reject(refused, ActorRefs.Nobody);
                    return;
                }
                LearnEndpoint(accepted.Sender, message.AliveMsg, internalEndpoint);
                break;
            case Kind.MemRes:
                if (!_requests.TryComplete(message.Nonce, now, out var endpoint)
                    || (_links.TryGetValue(endpoint, out var asked) && asked.Peer is { } there && there.PkiId != accepted.Sender.PkiId))
                {
                    Reject(new GuardVerdict.Rejected(Rejection.UnsolicitedResponse,
                        $"membership response under nonce {message.Nonce}, which no request of ours to this peer carries", accepted.Sender.ToString()),
                        ActorRefs.Nobody);
                    return;
                }
                requestedFrom = endpoint;
                relayed = VerifiedAlives(accepted.Sender, message.MemRes, now, out identities);
                break;
            case Kind.MemReq:
                // The guard has verified the requester's embedded alive; take what membership needs from it once, here.
                var own = message.MemReq.SelfInformation;
                if (!EnvelopeCodec.TryParsePayload(own, out var inner, out _) || inner!.ContentCase != Kind.AliveMsg)
                {
                    return; // cannot happen: the guard accepted it as an alive message
                }
                var requesterInternal = InternalEndpointOf(accepted.Sender, own);
                if (EndpointProblem(accepted.Sender, inner.AliveMsg, requesterInternal) is { } badRequester)
                {
                    Reject(badRequester, ActorRefs.Nobody);
                    return;
                }
                LearnEndpoint(accepted.Sender, inner.AliveMsg, requesterInternal);
                relayed = [new VerifiedAlive(accepted.Sender, inner.AliveMsg, own, requesterInternal)];
                break;
        }
        if (IsMembershipKind(message.ContentCase))
        {
            _subscribers.TellMembership(new Inbound(accepted.Sender, message, envelope, internalEndpoint, requestedFrom, relayed,
                RelayedIdentities: identities));
            return;
        }
        if (_subscribers.TryGetChannel(message.Channel, out var channel))
        {
            // A signed statement forwarded by another peer: the forwarder is the peer whose session MAC carried it.
            var connection = session?.Peer.PkiId;
            var relayedBy = connection is { } c && c != accepted.Sender.PkiId ? c : (PkiId?)null;
            channel.Tell(new Inbound(accepted.Sender, message, envelope, null, RelayedBy: relayedBy));
            return;
        }
        _counters.Rejected(Rejection.UnknownChannel);
        var channelName = InboundGuard.Printable(message.Channel);
        if (_warnings.ShouldLog($"{accepted.Sender}|{Rejection.UnknownChannel}|{channelName}", now, out var suppressed))
        {
            _log.Warning("Rejected {Kind} from {Sender}: channel '{Channel}' is not joined here{Suppressed}",
                message.ContentCase, accepted.Sender, channelName, Suppressed(suppressed));
        }
    }

    /// <summary>
    /// A membership response relays other peers' alive messages: each must pass the guard on its own, carry usable
    /// endpoints, and claim no endpoint a handshake has bound to someone else. Rejected ones are counted and logged
    /// (naming the responder that relayed them); repeats of what we already hold are left out; older ones than we hold
    /// are normal anti-entropy (dropped quietly). Peer identity messages placed before the alive messages teach the guard
    /// the certificates that alive messages sent after publishCertPeriod no longer carry.
    /// </summary>
    private List<VerifiedAlive> VerifiedAlives(PeerIdentityInfo responder, MembershipResponse response, DateTimeOffset now,
        out IReadOnlyList<SignedEnvelope>? identities)
    {
        var verified = new List<VerifiedAlive>(response.Alive.Count);
        List<SignedEnvelope>? learned = null;
        foreach (var relayed in response.Alive)
        {
            var verdict = _guard.Check(relayed, connectionPeer: null, now);
            if (verdict is GuardVerdict.Accepted { Message.ContentCase: Kind.AliveMsg } ok)
            {
                var internalEndpoint = InternalEndpointOf(ok.Sender, relayed);
                verdict = EndpointProblem(ok.Sender, ok.Message.AliveMsg, internalEndpoint) ?? verdict;
                if (verdict is GuardVerdict.Accepted)
                {
                    LearnEndpoint(ok.Sender, ok.Message.AliveMsg, internalEndpoint);
                    verified.Add(new VerifiedAlive(ok.Sender, ok.Message.AliveMsg, Session.Strip(relayed), internalEndpoint));
                    continue;
                }
            }
            switch (verdict)
            {
                case GuardVerdict.Accepted { Message.ContentCase: Kind.PeerIdentity }:
                    (learned ??= []).Add(Session.Strip(relayed));
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
                case GuardVerdict.Accepted other:
                    _counters.Rejected(Rejection.Malformed);
                    _log.Warning("Rejected a {Kind} relayed by {Responder} as an alive message", other.Message.ContentCase, responder);
                    break;
            }
        }
        identities = learned;
        return verified;
    }

    private static bool IsMembershipKind(Kind kind) =>
        kind is Kind.AliveMsg or Kind.MemReq or Kind.MemRes or Kind.PeerIdentity;

    /// <summary>
    /// Why an alive's endpoints cannot be taken: one of them is bound (by a handshake at that endpoint) to another
    /// identity. A peer's claim about an endpoint never rebinds it; only a handshake there does.
    /// </summary>
    private GuardVerdict.Rejected? EndpointProblem(PeerIdentityInfo sender, AliveMessage alive, string? internalEndpoint)
    {
        foreach (var endpoint in new[] { alive.Membership?.Endpoint ?? "", internalEndpoint ?? "" })
        {
            if (endpoint.Length == 0)
            {
                continue;
            }
            if (_links.TryGetValue(endpoint, out var link) && link.Peer is { } bound && bound.PkiId != sender.PkiId)
            {
                return new GuardVerdict.Rejected(Rejection.EndpointClaimed,
                    $"claims endpoint {endpoint}, where a handshake proved {bound}", sender.ToString());
            }
        }
        return null;
    }

    /// <summary>The internal endpoint from the signed secret part, for peers of our own org only (verified once here).</summary>
    private string? InternalEndpointOf(PeerIdentityInfo sender, SignedEnvelope envelope) =>
        sender.MspId == _self.MspId ? EnvelopeCodec.InternalEndpoint(envelope, sender.Certificate.PublicKey) : null;

    /// <summary>Where to dial a peer: its internal endpoint (same org) or its external one. Creates no link.</summary>
    private void LearnEndpoint(PeerIdentityInfo sender, AliveMessage alive, string? internalEndpoint)
    {
        var endpoint = string.IsNullOrEmpty(internalEndpoint) ? alive.Membership?.Endpoint ?? "" : internalEndpoint;
        if (endpoint.Length > 0 && sender.PkiId != _self.PkiId)
        {
            _endpoints[sender.PkiId] = endpoint;
            if (_endpoints.Count > _guard.Identities.Count)
            {
                ForgetEndpointsOfEvictedIdentities(); // an org past its identity bound: keep no endpoint of the evicted
            }
        }
    }
}
