using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Discovery;

/// <summary>
/// The shell around <see cref="MembershipCore"/>: feeds it verified alive messages, membership requests and
/// responses from comm and its own timer ticks, signs our alive messages, and carries the core's actions out
/// through comm. Publishes the view to subscribers (channels) whenever it changes, and logs what changed every
/// membershipTrackerInterval. Survives a supervised restart: its sequence numbers follow the clock (so it never
/// re-emits an old (incarnation, sequence)), and its subscribers are carried over to the new instance.
/// </summary>
public sealed class MembershipActor : ReceiveActor, IWithTimers
{
    private sealed record Tick : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly Tick Instance = new();
    }

    private sealed record FlushForwards : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly FlushForwards Instance = new();
    }

    private sealed record TrackMembership : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly TrackMembership Instance = new();
    }

    private readonly NodeIdentity _self;
    private readonly IActorRef _comm;
    private readonly TimeProvider _time;
    private readonly MembershipCore _core;
    private readonly HashSet<string> _foreignBootstrapGuard;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MembershipTracker _tracker = new();
    private readonly WarningRateLimiter _warnings = new(WarningRateLimiter.DefaultInterval);
    private readonly DateTimeOffset _certificateUntil;
    private readonly SignedEnvelope _ownIdentity;
    private readonly Dictionary<PkiId, SignedEnvelope> _identities = [];
    private ulong _answering;
    private readonly EntryPointReport _entryPoints;

    public ITimerScheduler Timers { get; set; } = null!;

    public MembershipActor(NodeIdentity self, MembershipOptions options, IActorRef comm, TimeProvider time, Random random)
    {
        _self = self;
        _comm = comm;
        _time = time;
        _certificateUntil = time.GetUtcNow() + options.Settings.PublishCertPeriod;
        _ownIdentity = PeerIdentityEnvelope.Create(self);
        var selfRecord = new AliveRecord(self.PkiId, self.MspId, options.ExternalEndpoint, options.InternalEndpoint,
            options.Incarnation, 0, self.Certificate.NotAfter);
        _core = new MembershipCore(selfRecord, options.Settings, options.Bootstrap, options.Anchors, random, Seal);
        // Bootstrap peers must be of our org; an endpoint that is also an anchor may be another org's.
        _foreignBootstrapGuard = new HashSet<string>(options.Bootstrap.Except(options.Anchors.Select(a => a.Endpoint)), StringComparer.Ordinal);
        _entryPoints = new EntryPointReport(options.Bootstrap, options.Anchors.Select(a => a.Endpoint), options.Settings.ReconnectInterval);

        Receive<Inbound>(OnInbound);
        Receive<Tick>(_ => Execute(_core.Tick(_time.GetUtcNow())));
        Receive<FlushForwards>(_ =>
        {
            if (_core.HasPendingForwards)
            {
                Execute(_core.FlushForwards(_time.GetUtcNow()));
            }
        });
        Receive<PeerUnreachable>(m =>
        {
            if (_entryPoints.OnUnreachable(m.Endpoint, m.Reason, _time.GetUtcNow()) is { } line)
            {
                _log.Warning(line);
            }
            if (m.Peer is { } peer)
            {
                Execute(_core.OnSendFailed(peer, _time.GetUtcNow()));
            }
        });
        Receive<ProbeEndpoint>(m => Execute(_core.OnProbeHint(m.Endpoint, _time.GetUtcNow())));
        Receive<IdentityRenewed>(m => Execute(_core.OnCertificateRenewed(m.Old)));
        Receive<SubscribeMembership>(_ =>
        {
            _subscribers.Add(Sender);
            Sender.Tell(Snapshot());
        });
        Receive<GetMembership>(_ => Sender.Tell(Snapshot()));
        Receive<TrackMembership>(_ => OnTrackMembership());
    }

    public static Props Props(NodeIdentity self, MembershipOptions options, IActorRef comm, TimeProvider time, Random random) =>
        Akka.Actor.Props.Create(() => new MembershipActor(self, options, comm, time, random));

    protected override void PreStart()
    {
        _comm.Tell(new Subscribe(null), Self);
        Self.Tell(Tick.Instance);
        Timers.StartPeriodicTimer("tick", Tick.Instance, _core.Settings.TickInterval);
        Timers.StartPeriodicTimer("flush", FlushForwards.Instance, _core.Settings.MaxPropagationBurstLatency);
        Timers.StartPeriodicTimer("track", TrackMembership.Instance, _core.Settings.MembershipTrackerInterval);
    }

    /// <summary>The subscribers are handed to the instance that replaces this one (the mailbox survives a restart).</summary>
    protected override void PreRestart(Exception reason, object message)
    {
        foreach (var subscriber in _subscribers)
        {
            Self.Tell(SubscribeMembership.Instance, subscriber);
        }
        base.PreRestart(reason, message);
    }

    /// <summary>Our alive carries our certificate during publishCertPeriod after start; then receivers use the identity they learned.</summary>
    private object? Seal(AliveRecord record) =>
        AliveEnvelope.Create(_self, record.ExternalEndpoint, record.InternalEndpoint, record.Incarnation, record.Sequence,
            includeCertificate: _time.GetUtcNow() < _certificateUntil);

    private void OnTrackMembership()
    {
        if (_tracker.Check(_core.AliveMembers) is { } change)
        {
            _log.Info("{Change}", change);
        }
        // Identity messages are kept only for peers in the view (purges forget them too).
        foreach (var peer in _identities.Keys.Where(id => _core.Lookup(id) is null).ToList())
        {
            _identities.Remove(peer);
        }
    }

    private void OnInbound(Inbound inbound)
    {
        var now = _time.GetUtcNow();
        switch (inbound.Message.ContentCase)
        {
            case Kind.AliveMsg:
                var result = _core.OnAlive(ToRecord(inbound.Sender, inbound.Message.AliveMsg, inbound.Envelope, inbound.InternalEndpoint), now);
                Execute(result.Actions);
                break;
            case Kind.MemReq:
                var requester = ToRecord(inbound.Relayed![0]);
                var answer = _core.OnMembershipRequest(inbound.Sender.PkiId, requester, now);
                if (answer.Outcome != RequestOutcome.Answered && _warnings.ShouldLog($"{inbound.Sender}|{answer.Outcome}", now, out var suppressed))
                {
                    _log.Warning("Membership request from {Sender} not answered: {Outcome}{Suppressed}", inbound.Sender, answer.Outcome,
                        suppressed > 0 ? $" ({suppressed} more like it suppressed)" : "");
                }
                _answering = inbound.Message.Nonce; // the response carries the request's nonce: the requester takes only that
                Execute(answer.Actions);
                break;
            case Kind.MemRes when IsForeignBootstrap(inbound):
                if (!_warnings.ShouldLog($"{inbound.Sender}|foreign bootstrap", now, out _))
                {
                    break;
                }
                _log.Warning("Refusing bootstrap peer {Sender} at {Endpoint}: it is of {Org}, bootstrap peers must be of {OurOrg}",
                    inbound.Sender, inbound.ConnectionEndpoint, inbound.Sender.MspId, _self.MspId);
                break;
            case Kind.PeerIdentity:
                _identities[inbound.Sender.PkiId] = inbound.Envelope;
                break;
            case Kind.MemRes:
                // Comm has verified every embedded alive message and passes on only those that passed.
                var records = (inbound.Relayed ?? []).Select(ToRecord).ToList();
                // Keep an identity only for a peer whose alive the same response carries: a response cannot grow the
                // map beyond what it describes (comm's own identity bound does not reach this map).
                var described = records.Select(r => r.PkiId).ToHashSet();
                foreach (var identity in inbound.RelayedIdentities ?? [])
                {
                    if (PkiIdOf(identity) is { } about && about != _self.PkiId && described.Contains(about))
                    {
                        _identities[about] = identity;
                    }
                }
                Execute(_core.OnMembershipResponse(inbound.Sender.PkiId, records, now).Actions);
                break;
        }
    }

    private bool IsForeignBootstrap(Inbound inbound) =>
        inbound.Sender.MspId != _self.MspId && inbound.ConnectionEndpoint is { } endpoint && _foreignBootstrapGuard.Contains(endpoint);

    private static AliveRecord ToRecord(VerifiedAlive alive) => ToRecord(alive.Sender, alive.Alive, alive.Envelope, alive.InternalEndpoint);

    private static AliveRecord ToRecord(PeerIdentityInfo sender, AliveMessage alive, SignedEnvelope envelope, string? internalEndpoint) =>
        new(sender.PkiId, sender.MspId, alive.Membership?.Endpoint ?? "", internalEndpoint ?? "",
            alive.Timestamp?.IncNum ?? 0, alive.Timestamp?.SeqNum ?? 0, sender.Certificate.NotAfter, envelope, sender.Name);

    private void Execute(IReadOnlyList<MembershipAction> actions)
    {
        var viewChanged = false;
        foreach (var action in actions)
        {
            switch (action)
            {
                case SendAlives send:
                    foreach (var alive in send.Alives)
                    {
                        if (alive.Envelope is SignedEnvelope envelope)
                        {
                            Send(send.To, Scope(send.To, alive, envelope));
                        }
                    }
                    break;
                case SendMembershipRequest request when request.Self.Envelope is SignedEnvelope own:
                    if (_time.GetUtcNow() >= _certificateUntil)
                    {
                        Send(request.To, _ownIdentity); // our alive no longer carries the certificate: the receiver may not know it
                    }
                    // A random nonce: comm takes one response under it, from that endpoint; any other response is unsolicited.
                    var nonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(ulong)));
                    var memReq = Sign(new GossipMessage { MemReq = new MembershipRequest { SelfInformation = Scope(request.To, request.Self, own) } }, nonce);
                    _comm.Tell(new SendToEndpoint(request.To.Endpoint, memReq, AwaitsResponse: nonce));
                    break;
                case SendMembershipResponse response:
                    Send(response.To, Sign(new GossipMessage { MemRes = Response(response) }, _answering));
                    break;
                case GaveUpConnecting gaveUp:
                    _log.Warning("Giving up on {Endpoint}: no answer after {Attempts} attempts (peer.gossip.maxConnectionAttempts)",
                        gaveUp.Endpoint, gaveUp.Attempts);
                    break;
                case PeerBecameAlive alive:
                    _log.Info("{0} is alive{1} at {2}", alive.Peer.Label, alive.Resurrected ? " again" : "", alive.Peer.EndpointFor(_self.MspId));
                    viewChanged = true;
                    break;
                case PeerBecameDead dead:
                    _log.Warning("{0} is dead: {1}", dead.Peer.Label, dead.Cause);
                    viewChanged = true;
                    break;
                case PeerPurged purged:
                    _log.Info("{0} purged: {1}", purged.Peer.Label, purged.Cause);
                    _comm.Tell(new ForgetPeer(purged.Peer.PkiId));
                    _identities.Remove(purged.Peer.PkiId);
                    Context.Parent.Tell(purged);
                    viewChanged = true;
                    break;
            }
        }
        if (viewChanged && _subscribers.Count > 0)
        {
            var snapshot = Snapshot();
            foreach (var subscriber in _subscribers)
            {
                subscriber.Tell(snapshot);
            }
        }
    }

    /// <summary>
    /// A membership response: the disclosed alive and dead envelopes, each alive one preceded by the signed identity of
    /// its peer (ours included) so that a requester that never met it can verify an alive that no longer carries the
    /// certificate. Comm on the other side learns the identities before it checks the alive messages.
    /// </summary>
    private MembershipResponse Response(SendMembershipResponse response)
    {
        var body = new MembershipResponse();
        foreach (var alive in response.Alive)
        {
            if (alive.Envelope is not SignedEnvelope envelope)
            {
                continue;
            }
            if (alive.PkiId == _self.PkiId)
            {
                body.Alive.Add(_ownIdentity);
            }
            else if (_identities.TryGetValue(alive.PkiId, out var identity))
            {
                body.Alive.Add(identity);
            }
            body.Alive.Add(Scope(response.To, alive, envelope));
        }
        foreach (var dead in response.Dead)
        {
            if (dead.Envelope is SignedEnvelope envelope)
            {
                body.Dead.Add(Scope(response.To, dead, envelope));
            }
        }
        return body;
    }

    /// <summary>
    /// The envelope as the core scoped the record: without the secret part when the record carries no internal endpoint
    /// (the core removes it for peers of other orgs than the record's), and never with it across orgs.
    /// </summary>
    private static SignedEnvelope Scope(Destination to, AliveRecord record, SignedEnvelope envelope) =>
        to.CrossOrg || record.InternalEndpoint.Length == 0 ? EnvelopeCodec.WithoutSecret(envelope) : envelope;

    private static PkiId? PkiIdOf(SignedEnvelope identity) =>
        EnvelopeCodec.TryParsePayload(identity, out var message, out _) && message!.PeerIdentity is { } peer && PkiId.TryFromBytes(peer.PkiId.Span, out var id)
            ? id
            : null;

    private void Send(Destination to, SignedEnvelope envelope) => _comm.Tell(new SendToEndpoint(to.Endpoint, envelope));

    private SignedEnvelope Sign(GossipMessage message, ulong nonce)
    {
        message.Nonce = nonce;
        message.Tag = GossipTag.Empty;
        return EnvelopeCodec.Sign(message, _self.Key);
    }

    private MembershipSnapshot Snapshot() => new(_core.Self, [.. _core.AliveMembers], [.. _core.DeadMembers]);
}
