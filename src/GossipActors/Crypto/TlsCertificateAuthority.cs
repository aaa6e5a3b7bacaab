using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GossipActors.Crypto;

/// <summary>
/// An organisation's TLS CA, as Fabric's cryptogen makes one (<c>tlsca/</c>): a self-signed ECDSA P-256 X.509 CA that
/// issues each node of the organisation a TLS certificate usable as server and client (mutual TLS). It is separate from
/// the organisation's signing CA (<see cref="CertificateAuthority"/>): TLS decides who may connect, signatures decide
/// who said what. Owns its key; dispose it when done.
/// </summary>
public sealed class TlsCertificateAuthority : IDisposable
{
    private TlsCertificateAuthority(string mspId, X509Certificate2 certificate)
    {
        MspId = mspId;
        Certificate = certificate;
    }

    public string MspId { get; }

    /// <summary>The CA certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new TLS CA named <c>tlsca.&lt;mspid lower case&gt;</c>, organisation <paramref name="mspId"/>.</summary>
    public static TlsCertificateAuthority Create(string mspId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mspId);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject("tlsca." + mspId.ToLowerInvariant(), mspId), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return new TlsCertificateAuthority(mspId, request.CreateSelfSigned(notBefore, notAfter));
    }

    /// <summary>
    /// A TLS certificate (with its private key) for node <paramref name="name"/> of this organisation: subject CN=name,
    /// O=mspId; SAN the name, localhost and 127.0.0.1; usable for server and client authentication.
    /// </summary>
    public X509Certificate2 Issue(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Subject(name, MspId), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(name);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var issued = request.Create(Certificate, Clamp(notBefore), Clamp(notAfter), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>The organisation (O=) of a certificate's subject; "" when absent.</summary>
    public static string Organisation(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => rdn.GetSingleElementType().Value == "2.5.4.10")
            .Select(rdn => rdn.GetSingleElementValue() ?? "")
            .FirstOrDefault() ?? "";

    public void Dispose() => Certificate.Dispose();

    // An issued certificate may not outlive its issuer (CertificateRequest.Create refuses it).
    private DateTimeOffset Clamp(DateTimeOffset when) =>
        when < Certificate.NotBefore.ToUniversalTime() ? Certificate.NotBefore.ToUniversalTime()
        : when > Certificate.NotAfter.ToUniversalTime() ? Certificate.NotAfter.ToUniversalTime()
        : when;

    private static X500DistinguishedName Subject(string commonName, string organisation)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(organisation);
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
