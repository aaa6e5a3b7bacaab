using GossipActors.Protocol.Wire;

namespace GossipActors.Crypto;

/// <summary>
/// One node's crypto directory, as cryptogen writes it and as peer.mspConfigPath names it (Fabric's per-node MSP and
/// tls/ folders, side by side). It holds only what the node needs, and no CA private key:
/// <code>
/// node.cert, node.key              the node's signing certificate and Ed25519 key (mode 0600)
/// cacerts/&lt;mspId&gt;.cert          the signing CA certificate of every organisation it trusts
/// tlscacerts/&lt;mspId&gt;.pem         the TLS CA certificate of every organisation it accepts connections from
/// tls/server.crt, server.key      its TLS certificate and ECDSA P-256 key (PEM; key mode 0600)
/// tls/ca.crt                      its own organisation's TLS CA (the org cluster accepts only this one)
/// </code>
/// </summary>
public sealed class NodeDirectory
{
    public const string CertificateFile = "node.cert";
    public const string KeyFile = "node.key";
    public const string CaCertsDirectory = "cacerts";
    public const string CaCertExtension = ".cert";
    public const string TlsCaCertsDirectory = "tlscacerts";
    public const string PemExtension = ".pem";
    public const string TlsDirectory = "tls";
    public const string TlsCertificateFile = "server.crt";
    public const string TlsKeyFile = "server.key";
    public const string TlsRootCertificateFile = "ca.crt";

    private NodeDirectory(string path) => Path = path;

    public string Path { get; }

    public string TlsCertificatePath => System.IO.Path.Combine(Path, TlsDirectory, TlsCertificateFile);
    public string TlsKeyPath => System.IO.Path.Combine(Path, TlsDirectory, TlsKeyFile);
    public string TlsRootCertificatePath => System.IO.Path.Combine(Path, TlsDirectory, TlsRootCertificateFile);

    /// <summary>The TLS CA certificate files of every trusted organisation (tlscacerts/*.pem), sorted.</summary>
    public IReadOnlyList<string> TlsCaCertificatePaths() => FilesIn(TlsCaCertsDirectory, PemExtension);

    /// <summary>Opens an existing node directory; throws <see cref="DirectoryNotFoundException"/> naming it if absent.</summary>
    public static NodeDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        return Directory.Exists(full)
            ? new NodeDirectory(full)
            : throw new DirectoryNotFoundException(
                $"Node crypto directory '{full}' does not exist; point mspConfigPath at the node's own directory written by 'gossip-node cryptogen' (DIR/<mspId>/<node>).");
    }

    /// <summary>The node's identity under whatever name and organisation its certificate states (a client's --msp directory).</summary>
    public NodeIdentity LoadIdentity()
    {
        var path = System.IO.Path.Combine(Path, CertificateFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Certificate file '{path}' does not exist.", path);
        }
        if (!ParsedCertificate.TryParse(Google.Protobuf.ByteString.CopyFrom(File.ReadAllBytes(path)), out var parsed, out var reason, out var detail))
        {
            throw new InvalidDataException($"Certificate file '{path}' is invalid ({reason}): {detail}.");
        }
        return LoadIdentity(parsed!.MspId, parsed.Name);
    }

    /// <summary>The node's identity; throws if its certificate is not of <paramref name="mspId"/> and named <paramref name="name"/>.</summary>
    public NodeIdentity LoadIdentity(string mspId, string name)
    {
        var certificate = CryptoDirectory.ReadCertificate(System.IO.Path.Combine(Path, CertificateFile), mspId);
        var parsed = ParsedCertificate.Parse(certificate);
        if (parsed.Name != name)
        {
            throw new InvalidDataException($"The certificate in '{Path}' is named '{parsed.Name}', not '{name}' (peer.id).");
        }
        try
        {
            return NodeIdentity.Load(certificate, CryptoDirectory.ReadKey(System.IO.Path.Combine(Path, KeyFile)));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Node '{name}' of {mspId} in '{Path}': {ex.Message}", ex);
        }
    }

    /// <summary>The signing CA certificate of every trusted organisation (cacerts/&lt;mspId&gt;.cert), sorted by MSP id.</summary>
    public IReadOnlyList<Certificate> TrustedCas() =>
        [.. FilesIn(CaCertsDirectory, CaCertExtension)
            .Select(file => CryptoDirectory.ReadCertificate(file, System.IO.Path.GetFileNameWithoutExtension(file)))];

    private IReadOnlyList<string> FilesIn(string directory, string extension)
    {
        var dir = System.IO.Path.Combine(Path, directory);
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "*" + extension).Order(StringComparer.Ordinal)]
            : throw new DirectoryNotFoundException($"'{dir}' does not exist: the node directory '{Path}' is incomplete.");
    }
}
