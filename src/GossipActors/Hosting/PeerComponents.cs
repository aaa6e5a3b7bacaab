using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Ledger;
using Prometheus;

namespace GossipActors.Hosting;

/// <summary>Everything a peer's actor tree is built from; the node program fills it from settings and files.</summary>
/// <param name="Channels">The channels this peer joins (one channel actor each); none when null.</param>
/// <param name="LedgerFactory">Opens a channel's ledger by name; in memory when null.</param>
public sealed record PeerComponents(
    NodeIdentity Identity,
    CertificateVerifier Certificates,
    CommSettings Comm,
    MembershipOptions Membership,
    EndpointResolver Resolver,
    TimeProvider Time,
    Random Random,
    CollectorRegistry Metrics,
    IReadOnlyList<ChannelOptions>? Channels = null,
    Func<string, IBlockLedger>? LedgerFactory = null)
{
    public IBlockLedger OpenLedger(string channel) => LedgerFactory?.Invoke(channel) ?? new InMemoryBlockLedger(channel);
}
