using GossipActors.Protocol.Wire;

namespace GossipActors.Crypto;

/// <summary>
/// The crypto material on disk, as written by <see cref="CryptoMaterialGenerator"/> (docs/crypto.md):
/// <code>
/// DIR/&lt;mspId&gt;/ca/ca.cert            serialized Certificate (binary protobuf; SHA-256 of the file = PKI-ID)
/// DIR/&lt;mspId&gt;/ca/ca.key             raw 32-byte Ed25519 private key (seed), mode 0600
/// DIR/&lt;mspId&gt;/tlsca/tlsca.crt        the organisation's TLS CA (X.509, PEM)
/// DIR/&lt;mspId&gt;/tlsca/tlsca.key        its ECDSA P-256 key (PKCS#8 PEM), mode 0600
/// DIR/&lt;mspId&gt;/&lt;node&gt;/               the node's own directory (<see cref="NodeDirectory"/>; its mspConfigPath)
/// </code>
/// The root holds every CA key: it is for cryptogen and tests. A node is given only its own directory.
/// </summary>
public sealed class CryptoDirectory
{
    public const string CaDirectory = "ca";
    public const string CaCertificateFile = "ca.cert";
    public const string CaKeyFile = "ca.key";
    public const string NodeCertificateFile = "node.cert";
    public const string NodeKeyFile = "node.key";
    public const string TlsCaDirectory = "tlsca";
    public const string TlsCaCertificateFile = "tlsca.crt";
    public const string TlsCaKeyFile = "tlsca.key";

    private CryptoDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Opens an existing directory; throws <see cref="DirectoryNotFoundException"/> naming it if absent.</summary>
    public static CryptoDirectory Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        return Directory.Exists(full)
            ? new CryptoDirectory(full)
            : throw new DirectoryNotFoundException($"Crypto directory '{full}' does not exist; generate it with 'gossip-node cryptogen'.");
    }

    /// <summary>The organisations (MSP ids) that have a CA certificate here, sorted.</summary>
    public IReadOnlyList<string> Organisations() =>
        Directory.EnumerateDirectories(Path)
            .Where(org => File.Exists(System.IO.Path.Combine(org, CaDirectory, CaCertificateFile)))
            .Select(org => System.IO.Path.GetFileName(org))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Every organisation's CA certificate, sorted by MSP id.</summary>
    public IReadOnlyList<Certificate> TrustedCas() =>
        Organisations().Select(org => ReadCertificate(CaCertificatePath(Path, org), org)).ToArray();

    /// <summary>A verifier that trusts every CA in this directory.</summary>
    public CertificateVerifier CreateVerifier() => new(TrustedCas());

    /// <summary>Every node (peer or orderer) with a certificate here, sorted by MSP id then name.</summary>
    public IReadOnlyList<(string MspId, string Name, NodeRole Role)> Nodes() =>
        Organisations()
            .SelectMany(org => Directory.EnumerateDirectories(System.IO.Path.Combine(Path, org))
                .Where(dir => System.IO.Path.GetFileName(dir) is not (CaDirectory or TlsCaDirectory) && File.Exists(System.IO.Path.Combine(dir, NodeCertificateFile)))
                .Select(dir => ParsedCertificate.Parse(ReadCertificate(System.IO.Path.Combine(dir, NodeCertificateFile), org)))
                .Select(cert => (cert.MspId, cert.Name, cert.Role)))
            .OrderBy(node => node.MspId, StringComparer.Ordinal)
            .ThenBy(node => node.Name, StringComparer.Ordinal)
            .ToArray();

    public NodeIdentity LoadNode(string mspId, string nodeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mspId);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        var certificate = ReadCertificate(NodeCertificatePath(Path, mspId, nodeName), mspId);
        var keyPath = NodeKeyPath(Path, mspId, nodeName);
        try
        {
            return NodeIdentity.Load(certificate, ReadKey(keyPath));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Node '{nodeName}' of {mspId} in '{Path}': {ex.Message}", ex);
        }
    }

    public CertificateAuthority LoadCa(string mspId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mspId);
        var certificate = ReadCertificate(CaCertificatePath(Path, mspId), mspId);
        try
        {
            return CertificateAuthority.Load(certificate, ReadKey(CaKeyPath(Path, mspId)));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"CA of {mspId} in '{Path}': {ex.Message}", ex);
        }
    }

    internal static string CaCertificatePath(string root, string mspId) => System.IO.Path.Combine(root, mspId, CaDirectory, CaCertificateFile);
    internal static string CaKeyPath(string root, string mspId) => System.IO.Path.Combine(root, mspId, CaDirectory, CaKeyFile);
    internal static string TlsCaCertificatePath(string root, string mspId) => System.IO.Path.Combine(root, mspId, TlsCaDirectory, TlsCaCertificateFile);
    internal static string TlsCaKeyPath(string root, string mspId) => System.IO.Path.Combine(root, mspId, TlsCaDirectory, TlsCaKeyFile);

    /// <summary>The directory of one node (what its mspConfigPath names).</summary>
    public NodeDirectory Node(string mspId, string nodeName) => NodeDirectory.Open(System.IO.Path.Combine(Path, mspId, nodeName));

    internal static string NodeCertificatePath(string root, string mspId, string node) => System.IO.Path.Combine(root, mspId, node, NodeCertificateFile);
    internal static string NodeKeyPath(string root, string mspId, string node) => System.IO.Path.Combine(root, mspId, node, NodeKeyFile);

    internal static Certificate ReadCertificate(string path, string expectedMspId)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Certificate file '{path}' does not exist.", path);
        }
        var parsed = ParsedCertificate.TryParse(Google.Protobuf.ByteString.CopyFrom(File.ReadAllBytes(path)), out var cert, out var reason, out var detail)
            ? cert!
            : throw new InvalidDataException($"Certificate file '{path}' is invalid ({reason}): {detail}.");
        return parsed.MspId == expectedMspId
            ? parsed.ToCertificate()
            : throw new InvalidDataException($"Certificate file '{path}' belongs to {parsed.MspId}, but lies in the directory of {expectedMspId}.");
    }

    internal static SigningKey ReadKey(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Key file '{path}' does not exist.", path);
        }
        var raw = File.ReadAllBytes(path);
        try
        {
            return raw.Length == 32
                ? SigningKey.FromRawPrivateKey(raw)
                : throw new InvalidDataException($"Key file '{path}' holds {raw.Length} bytes; expected a raw 32-byte Ed25519 private key.");
        }
        finally
        {
            Array.Clear(raw);
        }
    }
}
