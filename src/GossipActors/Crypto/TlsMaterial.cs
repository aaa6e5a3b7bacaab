using System.Security.Cryptography.X509Certificates;
using GossipActors.Configuration;

namespace GossipActors.Crypto;

/// <summary>
/// What a node needs for mutual TLS: its own certificate with the private key, its organisation's TLS CA (the only
/// CA a peer's org cluster accepts; an orderer has no org cluster and no such CA) and every TLS CA whose certificates
/// its boundary listener (a peer's gossip endpoint, the orderer) accepts. Owns the certificates.
/// </summary>
public sealed class TlsMaterial : IDisposable
{
    public TlsMaterial(X509Certificate2 certificate, X509Certificate2 ownOrgCa, IEnumerable<X509Certificate2> acceptedCas)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(ownOrgCa);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The TLS certificate '{certificate.Subject}' comes without its private key.", nameof(certificate));
        }
        Certificate = certificate;
        OwnOrgCa = ownOrgCa;
        AcceptedCas = [.. acceptedCas.Append(ownOrgCa).DistinctBy(ca => ca.Thumbprint)];
    }

    /// <summary>For a node without an org cluster (the orderer): its certificate and the CAs its listener accepts.</summary>
    public TlsMaterial(X509Certificate2 certificate, IEnumerable<X509Certificate2> acceptedCas)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"The TLS certificate '{certificate.Subject}' comes without its private key.", nameof(certificate));
        }
        Certificate = certificate;
        AcceptedCas = [.. acceptedCas.DistinctBy(ca => ca.Thumbprint)];
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The own organisation's TLS CA (a peer's org cluster accepts only it); null for an orderer.</summary>
    public X509Certificate2? OwnOrgCa { get; }

    /// <summary>Every CA the boundary listener accepts (a peer's own org's included).</summary>
    public IReadOnlyList<X509Certificate2> AcceptedCas { get; }

    /// <summary>
    /// Loads the files peer.tls.* name. An empty <see cref="TlsSettings.ClientRootCAsFiles"/> means every *.pem in the
    /// node directory's tlscacerts/.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing or is not what its key says; the message names the key and the file.</exception>
    public static TlsMaterial Load(TlsSettings tls, string mspConfigPath)
    {
        var certificate = Read("peer.tls.cert.file", tls.CertFile, () => LoadWithKey(tls.CertFile, tls.KeyFile));
        var root = Read("peer.tls.rootcert.file", tls.RootCertFile, () => X509CertificateLoader.LoadCertificateFromFile(tls.RootCertFile));
        var clientRoots = tls.ClientRootCAsFiles.Count > 0
            ? tls.ClientRootCAsFiles
            : Read("peer.tls.clientRootCAs.files", Path.Combine(mspConfigPath, NodeDirectory.TlsCaCertsDirectory),
                () => NodeDirectory.Open(mspConfigPath).TlsCaCertificatePaths());
        var accepted = clientRoots.Select(file => Read("peer.tls.clientRootCAs.files", file, () => X509CertificateLoader.LoadCertificateFromFile(file))).ToList();
        if (!Boundary.TlsTrust.IsIssuedBy(certificate, [root], out var reason))
        {
            throw new InvalidDataException($"peer.tls.cert.file = \"{tls.CertFile}\" is not issued by peer.tls.rootcert.file = \"{tls.RootCertFile}\" ({reason}).");
        }
        return new TlsMaterial(certificate, root, accepted);
    }

    /// <summary>
    /// Loads the files orderer.General.TLS.* name. An empty <see cref="OrdererTlsSettings.RootCAs"/> means every *.pem
    /// in the orderer directory's tlscacerts/.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is missing or is not what its key says; the message names the key and the file.</exception>
    public static TlsMaterial LoadOrderer(OrdererTlsSettings tls, string localMspDir)
    {
        var certificate = Read("orderer.General.TLS.Certificate", tls.Certificate, () => LoadWithKey(tls.Certificate, tls.PrivateKey));
        var roots = tls.RootCAs.Count > 0
            ? tls.RootCAs
            : Read("orderer.General.TLS.RootCAs", Path.Combine(localMspDir, NodeDirectory.TlsCaCertsDirectory),
                () => NodeDirectory.Open(localMspDir).TlsCaCertificatePaths());
        if (roots.Count == 0)
        {
            throw new InvalidDataException($"orderer.General.TLS.RootCAs: no TLS CA certificate (none configured, none in \"{Path.Combine(localMspDir, NodeDirectory.TlsCaCertsDirectory)}\"): no node could connect.");
        }
        var accepted = roots.Select(file => Read("orderer.General.TLS.RootCAs", file, () => X509CertificateLoader.LoadCertificateFromFile(file))).ToList();
        return new TlsMaterial(certificate, accepted);
    }

    /// <summary>
    /// A client's material from a node directory written by cryptogen (tls/server.crt and server.key presented, every
    /// tlscacerts/*.pem accepted from the server): what <c>gossip-node submit --msp DIR</c> uses.
    /// </summary>
    /// <param name="origin">What named the directory, for errors (an option or a key).</param>
    /// <exception cref="InvalidDataException">A file is missing or unreadable; the message names <paramref name="origin"/> and the file.</exception>
    public static TlsMaterial LoadNodeDirectory(string directory, string origin)
    {
        var node = Read(origin, directory, () => NodeDirectory.Open(directory));
        var certificate = Read(origin, node.TlsCertificatePath, () => LoadWithKey(node.TlsCertificatePath, node.TlsKeyPath));
        var cas = Read(origin, Path.Combine(node.Path, NodeDirectory.TlsCaCertsDirectory), node.TlsCaCertificatePaths);
        var accepted = cas.Select(file => Read(origin, file, () => X509CertificateLoader.LoadCertificateFromFile(file))).ToList();
        if (accepted.Count == 0)
        {
            throw new InvalidDataException($"{origin}: \"{Path.Combine(node.Path, NodeDirectory.TlsCaCertsDirectory)}\" holds no TLS CA certificate (*.pem).");
        }
        return new TlsMaterial(certificate, accepted);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var ca in AcceptedCas)
        {
            ca.Dispose();
        }
    }

    // SslStream on Windows needs a persisted key; a PKCS#12 round trip gives one on every platform.
    private static X509Certificate2 LoadWithKey(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static T Read<T>(string key, string file, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"{key}: cannot read \"{file}\": {ex.Message}", ex);
        }
    }
}
