using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Comm;

/// <summary>
/// The only actor that talks to other nodes. Outbound: resolves a peer's endpoint to its comm actor once, agrees a
/// session in a signed handshake (X25519 → HKDF → HMAC keys), then sends every envelope under the session's MAC
/// through a bounded per-peer queue. Inbound: envelopes wait in a bounded, per-connection queue, then climb the
/// session MAC check and the <see cref="InboundGuard"/>; identity comes from a signature or the session, never from
/// the Akka sender reference; rejections are counted and logged with the sender; accepted messages go to the
/// membership actor or the channel they name. Never death-watches a remote peer: liveness is gossip's job.
/// <para>Supervision: comm has no children. Nothing a remote sends can make it throw (every inbound path is total);
/// if it fails anyway its parent restarts it, and what it must keep (subscriptions, counters) lives in
/// <see cref="CommSubscriptions"/> and <see cref="CommCounters"/>, passed in its Props. Sessions are not kept: the
/// first envelope under a lost session makes comm ask its sender for a new handshake.</para>
/// </summary>
public sealed partial class CommActor : ReceiveActor, IWithTimers
{
    private sealed record Resolved(string Endpoint, IActorRef Comm) : Akka.Actor.INoSerializationVerificationNeeded;
    private sealed record ResolveFailed(string Endpoint, string Reason, string Detail) : Akka.Actor.INoSerializationVerificationNeeded;
    private sealed record CheckAcks : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly CheckAcks Instance = new();
    }

    private sealed record DrainInbound : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly DrainInbound Instance = new();
    }

    /// <summary>Envelopes read per turn before comm looks at its mailbox again (local sends, timers).</summary>
    private const int DrainBatch = 32;

    private readonly NodeIdentity _self;
    private readonly CommSettings _settings;
    private readonly EndpointResolver _resolver;
    private readonly TimeProvider _time;
    private readonly InboundGuard _guard;
    private readonly CommCounters _counters;
    private readonly CommSubscriptions _subscribers;
    private readonly FaultFilter _faults = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly WarningRateLimiter _warnings = new(WarningRateLimiter.DefaultInterval);
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, PeerLink> _linksByRemote = [];
    private readonly Dictionary<string, PeerLink> _linksByAddress = new(StringComparer.Ordinal);
    private readonly Dictionary<PkiId, string> _endpoints = [];
    private readonly SessionTable _sessions;
    private readonly Dictionary<Google.Protobuf.ByteString, PendingHandshake> _pending = [];
    private readonly Dictionary<IActorRef, DateTimeOffset> _handshakeRequests = [];
    private readonly OutstandingRequests _requests;
    private readonly InboundQueue<IActorRef, (SignedEnvelope Envelope, IActorRef From)> _inbound;
    private readonly string _selfAddress;
    private bool _draining;

    public ITimerScheduler Timers { get; set; } = null!;

    public CommActor(NodeIdentity self, CertificateVerifier certificates, CommSettings settings, EndpointResolver resolver,
        TimeProvider time, CommCounters counters, CommSubscriptions subscriptions)
    {
        _self = self;
        _settings = settings;
        _resolver = resolver;
        _time = time;
        _counters = counters;
        _subscribers = subscriptions;
        _guard = new InboundGuard(certificates, new IdentityStore(settings.MaxIdentitiesPerOrg), settings.MaxMessageSize, subscriptions.IsJoined);
        _sessions = new SessionTable(settings.MaxSessions);
        _requests = new OutstandingRequests(settings.MaxOutstandingRequests, settings.ResolveTimeout + settings.AckTimeout);
        _inbound = new(settings.ReceiveBufferSize, settings.MaxConnections);
        _selfAddress = AddressOf(Self);

        Receive<SignedEnvelope>(OnInbound);
        Receive<DrainInbound>(_ => Drain());
        Receive<CommAck>(_ => _counters.Rejected(Rejection.NoHandshake)); // bare acks are unauthenticated: acks travel under a session MAC
        Receive<SendTo>(OnSendTo);
        Receive<SendToEndpoint>(OnSendToEndpoint);
        Receive<LearnEndpoint>(m => _endpoints[m.Peer] = m.Endpoint);
        Receive<ForgetPeer>(m => Forget(m.Peer));
        Receive<Subscribe>(m => _subscribers.Subscribe(m.Channel, Sender));
        Receive<VerifyRelayedStateInfo>(OnVerifyRelayedStateInfo);
        Receive<Resolved>(OnResolved);
        Receive<ResolveFailed>(OnResolveFailed);
        Receive<CheckAcks>(_ => OnCheckAcks());
        Receive<DisassociatedEvent>(OnDisassociated);
        Receive<BlockTraffic>(m => ApplyFault(m.Peer, m.Endpoint, block: true));
        Receive<UnblockTraffic>(m => ApplyFault(m.Peer, m.Endpoint, block: false));
        Receive<GetCommStats>(_ => Sender.Tell(_counters.Snapshot(_guard.Identities.Count, Sizes())));
    }

    /// <param name="subscriptions">Held by the parent so that they survive a restart of comm; a fresh one when null.</param>
    public static Props Props(NodeIdentity self, CertificateVerifier certificates, CommSettings settings,
        EndpointResolver resolver, TimeProvider time, CommCounters counters, CommSubscriptions? subscriptions = null)
    {
        var kept = subscriptions ?? new CommSubscriptions();
        return Akka.Actor.Props.Create(() => new CommActor(self, certificates, settings, resolver, time, counters, kept));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Timers.StartPeriodicTimer("acks", CheckAcks.Instance, _settings.AckTimeout);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        foreach (var pending in _pending.Values)
        {
            pending.Key.Dispose();
        }
    }

    private CommSizes Sizes() => new(
        _inbound.Count, _inbound.Capacity,
        _sessions.Count, _sessions.Capacity,
        _links.Count, _settings.MaxConnections,
        _pending.Count, _handshakeRequests.Count,
        _requests.Count,
        _guard.Identities.Count, _guard.FreshnessEntries, _endpoints.Count);

    private void Forget(PkiId peer)
    {
        _guard.Forget(peer);
        _sessions.Forget(peer);
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
    internal static string AddressOf(IActorRef actor) => WithoutUid(Akka.Serialization.Serialization.SerializedActorPath(actor));

    private static string WithoutUid(string path)
    {
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? path : path[..hash];
    }

    private sealed class PeerLink(string endpoint, PeerSendQueue queue, string? address)
    {
        public string Endpoint { get; } = endpoint;
        public PeerSendQueue Queue { get; } = queue;

        /// <summary>The comm address this endpoint resolves to (null if it does not resolve).</summary>
        public string? Address { get; } = address;

        public IActorRef? Remote { get; set; }

        /// <summary>The identity a handshake at this endpoint proved; only such a handshake sets or changes it.</summary>
        public PeerIdentityInfo? Peer { get; set; }

        /// <summary>The session envelopes go out under; null while the handshake is under way.</summary>
        public Session? Session { get; set; }

        public bool Resolving { get; set; }
        public DateTimeOffset LastAckProgress { get; set; }
        public DateTimeOffset HandshakeSentAt { get; set; }
        public DateTimeOffset LastUsed { get; set; }

        public bool IsIdle => Queue.Waiting == 0 && Queue.InFlight == 0 && !Resolving;
    }

    /// <summary>A handshake we sent and whose answer we wait for, by our ephemeral public key.</summary>
    private sealed record PendingHandshake(EphemeralKey Key, IActorRef Remote, PeerLink? Link, DateTimeOffset SentAt);
}
