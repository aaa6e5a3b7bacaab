using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Actor.Setup;
using Prometheus;

namespace GossipActors.Boundary;

/// <summary>Why a serializer refused an inbound frame at the Akka boundary (a fixed set: labels never carry peer text).</summary>
public enum FrameRefusal
{
    /// <summary>A manifest the serializer does not know.</summary>
    UnknownManifest,

    /// <summary>A payload above the serializer's size limit (gossip-wire's max-envelope-bytes).</summary>
    Oversize,

    /// <summary>Bytes that do not parse: truncated or malformed.</summary>
    Malformed,

    /// <summary>A type the boundary does not accept: Kill or PoisonPill under Akka's misc serializer, a control-plane
    /// type outside the allow-list, an unsafe type.</summary>
    DisallowedType,

    /// <summary>A frame under a serializer id that the boundary replaced with a refusing serializer.</summary>
    DisallowedSerializer,
}

/// <summary>Why a TLS handshake was refused (this node's certificate check of the other side).</summary>
public enum TlsRefusal
{
    /// <summary>The other side presented no certificate (mutual TLS requires one).</summary>
    NoCertificate,

    /// <summary>Its certificate was not issued by an accepted CA (or its chain is not valid now).</summary>
    UnknownCa,
}

/// <summary>
/// What one actor system refused at the Akka boundary, below any actor: inbound frames its serializers refused, and
/// TLS handshakes its certificate check refused. An actor system extension (<see cref="For"/>), so a serializer that
/// Akka creates per system finds its system's counts; the TLS check, set up before the system exists, is given the
/// same instance, which <see cref="BoundaryRefusalsSetup"/> then makes the system's extension. Counts are kept here
/// (thread-safe: serializers run on Akka.Remote's threads) and, when a Prometheus registry is given, exported as
/// <c>{prefix}_frames_refused_total{listener, serializer, reason}</c> and
/// <c>{prefix}_tls_handshakes_refused_total{listener, reason}</c>, and TLS handshakes it started that failed as
/// <c>{prefix}_tls_outbound_handshakes_failed_total{listener}</c>.
/// </summary>
public sealed class BoundaryRefusals : IExtension
{
    private readonly ConcurrentDictionary<(string Serializer, FrameRefusal Reason), long> _frames = new();
    private readonly ConcurrentDictionary<TlsRefusal, long> _tls = new();
    private readonly string _listener;
    private readonly Counter? _framesExported;
    private readonly Counter? _tlsExported;
    private readonly Counter? _outboundTlsExported;
    private long _outboundTls;

    /// <param name="registry">Where to export; null = counts only.</param>
    /// <param name="prefix">The metric prefix: gossip_comm (peers) or orderer_comm (orderers).</param>
    /// <param name="listener">The listener label: which of the node's systems (gossip, org-cluster, orderer).</param>
    public BoundaryRefusals(CollectorRegistry? registry = null, string prefix = "gossip_comm", string listener = "gossip")
    {
        _listener = listener;
        if (registry is not null)
        {
            var metrics = Metrics.WithCustomRegistry(registry);
            _framesExported = metrics.CreateCounter($"{prefix}_frames_refused_total",
                "Inbound Akka.Remote frames refused by a serializer at the boundary, by reason.",
                new CounterConfiguration { LabelNames = ["listener", "serializer", "reason"] });
            _tlsExported = metrics.CreateCounter($"{prefix}_tls_handshakes_refused_total",
                "TLS handshakes refused by this node's certificate check, by reason.",
                new CounterConfiguration { LabelNames = ["listener", "reason"] });
            _outboundTlsExported = metrics.CreateCounter($"{prefix}_tls_outbound_handshakes_failed_total",
                "TLS handshakes this node started that failed (the other side refused it, or this node refused the other side's certificate).",
                new CounterConfiguration { LabelNames = ["listener"] });
        }
    }

    /// <summary>The actor system's instance: the one its <see cref="BoundaryRefusalsSetup"/> gave, else a new one (counts only).</summary>
    public static BoundaryRefusals For(ActorSystem system) => system.WithExtension<BoundaryRefusals, BoundaryRefusalsId>();

    /// <summary>A setup that makes this instance the system's extension.</summary>
    public BoundaryRefusalsSetup Setup => new(this);

    /// <param name="serializer">The serializer's configuration name (a constant of ours, never from the frame).</param>
    public void FrameRefused(string serializer, FrameRefusal reason)
    {
        _frames.AddOrUpdate((serializer, reason), 1, (_, n) => n + 1);
        _framesExported?.WithLabels(_listener, serializer, reason.ToString()).Inc();
    }

    public void TlsRefused(TlsRefusal reason)
    {
        _tls.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _tlsExported?.WithLabels(_listener, reason.ToString()).Inc();
    }

    /// <summary>A TLS handshake this system started failed (<see cref="OutboundTlsFailureGuard"/>).</summary>
    public void OutboundTlsFailed()
    {
        Interlocked.Increment(ref _outboundTls);
        _outboundTlsExported?.WithLabels(_listener).Inc();
    }

    public long OutboundTlsFailures => Interlocked.Read(ref _outboundTls);

    public long Frames(string serializer, FrameRefusal reason) => _frames.GetValueOrDefault((serializer, reason));

    public long Tls(TlsRefusal reason) => _tls.GetValueOrDefault(reason);
}

/// <summary>Gives an actor system its <see cref="BoundaryRefusals"/> (the instance its TLS check already counts into).</summary>
public sealed class BoundaryRefusalsSetup(BoundaryRefusals refusals) : Setup
{
    public BoundaryRefusals Refusals { get; } = refusals;
}

/// <summary>The extension id of <see cref="BoundaryRefusals"/>.</summary>
public sealed class BoundaryRefusalsId : ExtensionIdProvider<BoundaryRefusals>
{
    public override BoundaryRefusals CreateExtension(ExtendedActorSystem system) =>
        system.Settings.Setup.Get<BoundaryRefusalsSetup>() is { HasValue: true } setup ? setup.Value.Refusals : new BoundaryRefusals();
}
