using System.Security.Cryptography.X509Certificates;
using GossipActors.Crypto;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>In-memory TLS CAs (one per org, as cryptogen makes them) and node TLS material for tests.</summary>
public sealed class TestTlsPki : IDisposable
{
    private readonly Dictionary<string, TlsCertificateAuthority> _cas = [];

    public TestTlsPki(params string[] orgs)
    {
        foreach (var org in orgs.Length == 0 ? ["Org1", "Org2", "OrdererOrg"] : orgs)
        {
            _cas[org] = TlsCertificateAuthority.Create(org, TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1));
        }
    }

    /// <summary>Every org's TLS CA certificate (without keys).</summary>
    public IReadOnlyList<X509Certificate2> CaCertificates => [.. _cas.Values.Select(ca => X509CertificateLoader.LoadCertificate(ca.Certificate.RawData))];

    /// <summary>A node of <paramref name="org"/>: its certificate, its org's TLS CA, and every known org's CA accepted.</summary>
    public TlsMaterial Node(string org, string name) =>
        new(Issue(_cas[org], name), X509CertificateLoader.LoadCertificate(_cas[org].Certificate.RawData), CaCertificates);

    /// <summary>A node whose TLS CA nobody here knows (it accepts every known CA, so only the others can refuse it).</summary>
    public static TlsMaterial Stranger(IReadOnlyList<X509Certificate2> accepted, string org = "EvilOrg")
    {
        using var ca = TlsCertificateAuthority.Create(org, TestPki.Now.AddDays(-1), TestPki.Now.AddYears(1));
        return new TlsMaterial(Issue(ca, "peer0." + org.ToLowerInvariant()), X509CertificateLoader.LoadCertificate(ca.Certificate.RawData), accepted);
    }

    private static X509Certificate2 Issue(TlsCertificateAuthority ca, string name)
    {
        using var issued = ca.Issue(name, TestPki.Now.AddDays(-1), TestPki.Now.AddMonths(6));
        return X509CertificateLoader.LoadPkcs12(issued.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        foreach (var ca in _cas.Values)
        {
            ca.Dispose();
        }
    }
}
