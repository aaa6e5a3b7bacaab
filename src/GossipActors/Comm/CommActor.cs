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
public sealed partial class CommActor : ReceiveActor, IWithTimers
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
    private readonly WarningRateLimiter _warnings = new(WarningRateLimiter.DefaultInterval);
    private readonly Dictionary<string, PeerLink> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, PeerLink> _linksByRemote = [];
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
