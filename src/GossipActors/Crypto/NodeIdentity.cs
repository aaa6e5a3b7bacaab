using GossipActors.Protocol.Wire;

namespace GossipActors.Crypto;

/// <summary>
/// A node's own identity: its certificate (issued by its organisation's CA) and the matching signing key.
/// Owns the key; dispose it when done.
/// </summary>
public sealed class NodeIdentity : IDisposable
{
    private NodeIdentity(ParsedCertificate certificate, SigningKey key)
    {
        Certificate = certificate;
        Key = key;
    }

    public ParsedCertificate Certificate { get; }
    public SigningKey Key { get; }
    public PkiId PkiId => Certificate.PkiId;
    public string MspId => Certificate.MspId;
    public string Name => Certificate.Name;
    public NodeRole Role => Certificate.Role;

    /// <summary>A fresh key and a certificate for it from <paramref name="ca"/>, in memory (tests, simulator).</summary>
    public static NodeIdentity Issue(CertificateAuthority ca, string name, NodeRole role, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var key = SigningKey.Generate();
        try
        {
            return new NodeIdentity(ParsedCertificate.Parse(ca.Issue(name, role, key.PublicKey, notBefore, notAfter)), key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>An identity from a stored certificate and key; throws if the key is not the certificate's subject key.</summary>
    public static NodeIdentity Load(Certificate certificate, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parsed = ParsedCertificate.Parse(certificate);
        if (!parsed.PublicKey.ExportRaw().AsSpan().SequenceEqual(key.PublicKey.ExportRaw()))
        {
            throw new ArgumentException($"The key does not match the public key in certificate '{parsed.Name}' of {parsed.MspId}.", nameof(key));
        }
        return new NodeIdentity(parsed, key);
    }

    public void Dispose() => Key.Dispose();

    public override string ToString() => Certificate.ToString();
}
