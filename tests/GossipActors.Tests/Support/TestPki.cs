using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Tests.Support;

/// <summary>In-memory CAs and node identities for tests: Org1, Org2 and an orderer org, all trusted.</summary>
public sealed class TestPki : IDisposable
{
    /// <summary>Certificates are valid from a day before this until months after: actor tests run on the real clock.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly Dictionary<string, CertificateAuthority> _cas = [];
    private readonly List<NodeIdentity> _issued = [];

    public TestPki(params string[] orgs)
    {
        foreach (var org in orgs.Length == 0 ? ["Org1", "Org2", "OrdererOrg"] : orgs)
        {
            _cas[org] = CertificateAuthority.Create(org, Now.AddDays(-1), Now.AddYears(1));
        }
        Verifier = new CertificateVerifier(_cas.Values.Select(ca => ca.Certificate));
    }

    public CertificateVerifier Verifier { get; }

    public CertificateAuthority Ca(string org) => _cas[org];

    public NodeIdentity Peer(string org, string name, DateTimeOffset? notAfter = null) =>
        Track(NodeIdentity.Issue(_cas[org], name, NodeRole.Peer, Now.AddDays(-1), notAfter ?? Now.AddMonths(6)));

    public NodeIdentity Orderer(string name = "orderer0") =>
        Track(NodeIdentity.Issue(_cas["OrdererOrg"], name, NodeRole.Orderer, Now.AddDays(-1), Now.AddMonths(6)));

    /// <summary>A peer whose CA nobody here trusts.</summary>
    public NodeIdentity Stranger(string org = "EvilOrg")
    {
        var ca = CertificateAuthority.Create(org, Now.AddDays(-1), Now.AddYears(1));
        return Track(NodeIdentity.Issue(ca, "peer0." + org.ToLowerInvariant(), NodeRole.Peer, Now.AddDays(-1), Now.AddMonths(6)));
    }

    private NodeIdentity Track(NodeIdentity identity)
    {
        _issued.Add(identity);
        return identity;
    }

    public void Dispose()
    {
        foreach (var identity in _issued)
        {
            identity.Dispose();
        }
    }
}
