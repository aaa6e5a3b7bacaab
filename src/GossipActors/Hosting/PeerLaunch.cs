using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Logging;

namespace GossipActors.Hosting;

/// <summary>What a peer is started with: its settings and whole configuration, its identity, the CAs it trusts, its
/// TLS material (null = plain TCP) and its logging (null = Akka's own loggers as configured in akka.*, as tests use).</summary>
/// <param name="Config">The peer's whole configuration (user HOCON, environment overrides and reference.conf), as
/// <see cref="PeerConfig.Load"/> returns it; its akka.* keys apply beneath the derived settings.</param>
public sealed record PeerLaunch(PeerSettings Settings, Config Config, NodeIdentity Identity, CertificateVerifier Certificates,
    TimeProvider Time, TlsMaterial? Tls, NodeLogging? Logging = null);
