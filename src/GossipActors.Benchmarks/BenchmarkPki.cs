using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks;

/// <summary>The in-memory identities of a benchmark network, valid from a day ago to a day ahead: Org1's CA (its
/// peers and clients), the OrdererOrg's CA and its orderer0, and a verifier that trusts both CAs.</summary>
internal sealed class BenchmarkPki : IDisposable
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly CertificateAuthority _org1;
    private readonly CertificateAuthority _ordererOrg;

    public BenchmarkPki()
    {
        _org1 = CertificateAuthority.Create("Org1", _now.AddDays(-1), _now.AddDays(1));
        _ordererOrg = CertificateAuthority.Create("OrdererOrg", _now.AddDays(-1), _now.AddDays(1));
        Orderer = NodeIdentity.Issue(_ordererOrg, "orderer0.ordererorg", NodeRole.Orderer, _now.AddDays(-1), _now.AddDays(1));
        Verifier = new CertificateVerifier([_org1.Certificate, _ordererOrg.Certificate]);
    }

    /// <summary>orderer0.ordererorg: signs the blocks.</summary>
    public NodeIdentity Orderer { get; }

    public CertificateVerifier Verifier { get; }

    /// <summary>A peer (or client) certificate of Org1.</summary>
    public NodeIdentity Org1Peer(string name) => NodeIdentity.Issue(_org1, name, NodeRole.Peer, _now.AddDays(-1), _now.AddDays(1));

    public void Dispose()
    {
        Orderer.Dispose();
        _ordererOrg.Dispose();
        _org1.Dispose();
    }
}
