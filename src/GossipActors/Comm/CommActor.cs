using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>
/// The only actor that talks to other nodes. Outbound: resolves a peer's endpoint to its comm actor once, opens with
/// a signed handshake, then sends through a bounded per-peer queue. Inbound: every envelope climbs the
/// <see cref="InboundGuard"/>; rejections are counted and logged with the sender; accepted messages go to the
/// membership actor or the channel they name. Never death-watches a remote peer: liveness is gossip's job.
/// </summary>
public sealed class CommActor : ReceiveActor, IWithTimers
{
    private sealed record Resolved(string Endpoint, IActorRef Comm);
    private sealed record ResolveFailed(string Endpoint, string Reason);
    private sealed record CheckAcks
    {
        public static readonly CheckAcks Instance = new();
    }

    private readonly NodeIdentity _self;
    private readonly CommSettings _settings;
    private readonly EndpointResolver _resolver;
    private readonly TimeProvider _time;
    private readonly InboundGuard _guard;
    private readonly CommCounters _counters;
    private readonly FaultFilter _faults = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<PkiId, string> _endpoints = [];
    private readonly Dictionary<IActorRef, InboundSession> _sessions = [];
    private readonly Dictionary<string, IActorRef> _channelSubscribers = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _membershipSubscribers = [];
    private readonly string _selfAddress;

    public ITimerScheduler Timers { get; set; } = null!;

    public CommActor(NodeIdentity self, CertificateVerifier certificates, CommSettings settings, EndpointResolver resolver,
        TimeProvider time, CommCounters counters)
    {
        _self = self;
        _settings = settings;
        _resolver = resolver;
        _time = time;
        _counters = counters;
        _guard = new InboundGuard(certificates, new IdentityStore(), settings.MaxMessageSize);
        _selfAddress = AddressOf(Self);

        Receive<SignedEnvelope>(OnInbound);
        Receive<CommAck>(OnAck);
        Receive<SendTo>(OnSendTo);
        Receive<SendToEndpoint>(m => Enqueue(m.Endpoint, m.Envelope, peer: null));
        Receive<LearnEndpoint>(m => _endpoints[m.Peer] = m.Endpoint);
        Receive<ForgetPeer>(m => Forget(m.Peer));
        Receive<Subscribe>(OnSubscribe);
        Receive<Resolved>(OnResolved);
        Receive<ResolveFailed>(OnResolveFailed);
        Receive<CheckAcks>(_ => OnCheckAcks());
        Receive<DisassociatedEvent>(OnDisassociated);
        Receive<BlockTraffic>(m => ApplyFault(m.Peer, m.Endpoint, block: true));
        Receive<UnblockTraffic>(m => ApplyFault(m.Peer, m.Endpoint, block: false));
        Receive<GetCommStats>(_ => Sender.Tell(_counters.Snapshot(_guard.Identities.Count)));
    }

    public static Props Props(NodeIdentity self, CertificateVerifier certificates, CommSettings settings,
        EndpointResolver resolver, TimeProvider time, CommCounters counters) =>
        Akka.Actor.Props.Create(() => new CommActor(self, certificates, settings, resolver, time, counters));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Timers.StartPeriodicTimer("acks", CheckAcks.Instance, _settings.AckTimeout);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    // ---- outbound ----

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
        link.Remote = comm;
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
        var link = _links.Values.FirstOrDefault(l => Equals(l.Remote, Sender));
        if (link is not null && link.Queue.Acknowledge(ack.Received))
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

    // ---- inbound ----

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
        _counters.Rejected(rejected.Reason);
        _log.Warning("Rejected message from {Sender} at {Address}: {Reason}: {Detail}",
            rejected.Claimed, Sender.Path.Address, rejected.Reason, rejected.Detail);
        if (rejected.Reason == Rejection.NoHandshake && !session.HandshakeRequested)
        {
            // We lost (or never had) this sender's handshake, e.g. after we restarted: ask for it once.
            session.HandshakeRequested = true;
            Sender.Tell(Handshake.Create(_self, _selfAddress, AddressOf(Sender), _time.GetUtcNow(), replyRequested: true), Self);
        }
    }

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
        if (message.ContentCase == Kind.AliveMsg)
        {
            internalEndpoint = LearnFromAlive(accepted.Sender, message.AliveMsg, envelope);
        }
        else if (message.ContentCase == Kind.MemRes)
        {
            message = WithVerifiedAlives(accepted.Sender, message, now);
        }
        if (IsMembershipKind(message.ContentCase))
        {
            var inbound = new Inbound(accepted.Sender, message, envelope, internalEndpoint);
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
        _log.Warning("Rejected {Kind} from {Sender}: channel '{Channel}' is not joined here",
            message.ContentCase, accepted.Sender, message.Channel);
    }

    /// <summary>
    /// A membership response relays other peers' alive messages: each must pass the guard on its own. Rejected ones
    /// are counted and logged (naming the responder that relayed them); repeats of what we already hold are left out.
    /// </summary>
    private GossipMessage WithVerifiedAlives(PeerIdentityInfo responder, GossipMessage message, DateTimeOffset now)
    {
        var verified = new MembershipResponse();
        foreach (var relayed in message.MemRes.Alive)
        {
            switch (_guard.Check(relayed, connectionPeer: null, now))
            {
                case GuardVerdict.Accepted { Message.ContentCase: Kind.AliveMsg } ok:
                    LearnFromAlive(ok.Sender, ok.Message.AliveMsg, relayed);
                    verified.Alive.Add(relayed);
                    break;
                case GuardVerdict.Rejected rejected:
                    _counters.Rejected(rejected.Reason);
                    _log.Warning("Rejected alive of {Claimed} relayed by {Responder}: {Reason}: {Detail}",
                        rejected.Claimed, responder, rejected.Reason, rejected.Detail);
                    break;
                case GuardVerdict.Duplicate:
                    _counters.Duplicate();
                    break;
            }
        }
        var copy = message.Clone();
        copy.MemRes = verified;
        return copy;
    }

    private static bool IsMembershipKind(Kind kind) =>
        kind is Kind.AliveMsg or Kind.MemReq or Kind.MemRes or Kind.PeerIdentity;

    /// <summary>Same org: the internal endpoint (from the signed secret part) if any; other orgs: the external one.</summary>
    private string? LearnFromAlive(PeerIdentityInfo sender, AliveMessage alive, SignedEnvelope envelope)
    {
        var internalEndpoint = sender.MspId == _self.MspId
            ? EnvelopeCodec.InternalEndpoint(envelope, sender.Certificate.PublicKey)
            : null;
        var endpoint = !string.IsNullOrEmpty(internalEndpoint) ? internalEndpoint : alive.Membership.Endpoint;
        if (!string.IsNullOrEmpty(endpoint) && sender.PkiId != _self.PkiId)
        {
            _endpoints[sender.PkiId] = endpoint;
            LinkFor(endpoint).Peer = sender.PkiId;
        }
        return internalEndpoint;
    }

    private void OnSubscribe(Subscribe message)
    {
        if (message.Channel is null)
        {
            _membershipSubscribers.Add(Sender);
        }
        else
        {
            _channelSubscribers[message.Channel] = Sender;
        }
    }

    private void Forget(PkiId peer)
    {
        _guard.Forget(peer);
        _endpoints.Remove(peer);
    }

    private void ApplyFault(PkiId? peer, string? endpoint, bool block)
    {
        if (peer is { } id)
        {
            if (block) { _faults.Block(id); } else { _faults.Unblock(id); }
        }
        if (endpoint is not null)
        {
            if (block) { _faults.Block(endpoint); } else { _faults.Unblock(endpoint); }
        }
    }

    /// <summary>A comm actor's address as both sides of a handshake see it: full address, no UID.</summary>
    internal static string AddressOf(IActorRef actor)
    {
        var path = Akka.Serialization.Serialization.SerializedActorPath(actor);
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? path : path[..hash];
    }

    private sealed class PeerLink(string endpoint, PeerSendQueue queue)
    {
        public string Endpoint { get; } = endpoint;
        public PeerSendQueue Queue { get; } = queue;
        public IActorRef? Remote { get; set; }
        public PkiId? Peer { get; set; }
        public bool Resolving { get; set; }
        public DateTimeOffset LastAckProgress { get; set; }
    }

    private sealed class InboundSession
    {
        public PeerIdentityInfo? Peer { get; set; }
        public ulong Received { get; set; }
        public bool HandshakeRequested { get; set; }
    }
}
