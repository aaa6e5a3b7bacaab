using System.Security.Cryptography.X509Certificates;
using GossipActors.Configuration;

namespace GossipActors.Crypto;

/// <summary>
/// What a node needs for mutual TLS: its own certificate with the private key, its organisation's TLS CA (the only
/// CA the org cluster accepts) and every TLS CA whose certificates its gossip listener accepts. Owns the certificates.
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

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 OwnOrgCa { get; }

    /// <summary>Every CA the gossip listener accepts (the own org's included).</summary>
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
