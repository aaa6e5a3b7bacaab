using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>Everything a peer's actor tree is built from; the node program fills it from settings and files.</summary>
public sealed record PeerComponents(
    NodeIdentity Identity,
    CertificateVerifier Certificates,
    CommSettings Comm,
    MembershipOptions Membership,
    EndpointResolver Resolver,
    TimeProvider Time,
    Random Random,
    CollectorRegistry Metrics);
