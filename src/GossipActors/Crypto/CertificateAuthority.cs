using System.Security.Cryptography;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>
/// An organisation's certificate authority: a self-signed CA certificate (role CA) and the Ed25519 key that
/// signs the certificates of the organisation's peers and orderers. Owns its key; dispose it when done.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(ParsedCertificate certificate, SigningKey key)
    {
        Parsed = certificate;
        Certificate = certificate.ToCertificate();
        Key = key;
    }

    public Certificate Certificate { get; }
    public ParsedCertificate Parsed { get; }
    public SigningKey Key { get; }
    public string MspId => Parsed.MspId;

    /// <summary>A new CA with a fresh key; its certificate is named <c>ca.&lt;mspid in lower case&gt;</c>.</summary>
    public static CertificateAuthority Create(string mspId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mspId);
        var key = SigningKey.Generate();
        var body = Body(mspId, "ca." + mspId.ToLowerInvariant(), NodeRole.Ca, key.PublicKey, notBefore, notAfter);
        return new CertificateAuthority(ParsedCertificate.Parse(SignBody(body, key)), key);
    }

    /// <summary>A CA from its stored certificate and key; throws if the certificate is not a self-signed CA of this key.</summary>
    public static CertificateAuthority Load(Certificate certificate, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parsed = ParsedCertificate.Parse(certificate);
        if (parsed.Role != NodeRole.Ca)
        {
            throw new ArgumentException($"Certificate '{parsed.Name}' of {parsed.MspId} has role {parsed.Role}, not CA.", nameof(certificate));
        }
        if (!parsed.PublicKey.ExportRaw().AsSpan().SequenceEqual(key.PublicKey.ExportRaw()))
        {
            throw new ArgumentException($"The key does not belong to the CA certificate of {parsed.MspId}.", nameof(key));
        }
        if (!parsed.PublicKey.Verify(parsed.BodyBytes.Span, parsed.IssuerSignature.Span))
        {
            throw new ArgumentException($"The CA certificate of {parsed.MspId} is not validly self-signed.", nameof(certificate));
        }
        return new CertificateAuthority(parsed, key);
    }

    /// <summary>Issues a peer or orderer certificate of this organisation for the given public key.</summary>
    public Certificate Issue(string name, NodeRole role, VerificationKey subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(subject);
        if (role is not (NodeRole.Peer or NodeRole.Orderer))
        {
            throw new ArgumentException($"A CA issues PEER or ORDERER certificates, not {role}.", nameof(role));
        }
        return SignBody(Body(MspId, name, role, subject, notBefore, notAfter), Key);
    }

    public void Dispose() => Key.Dispose();

    private static CertificateBody Body(string mspId, string name, NodeRole role, VerificationKey subject,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (notAfter <= notBefore)
        {
            throw new ArgumentException($"The validity window of '{name}' ends ({notAfter:O}) before it starts ({notBefore:O}).", nameof(notAfter));
        }
        return new CertificateBody
        {
            MspId = mspId,
            Name = name,
            Role = role,
            PublicKey = UnsafeByteOperations.UnsafeWrap(subject.ExportRaw()),
            NotBeforeUnixMs = notBefore.ToUnixTimeMilliseconds(),
            NotAfterUnixMs = notAfter.ToUnixTimeMilliseconds(),
            // A random serial keeps two certificates for otherwise equal bodies (and so their PKI-IDs) distinct.
            Serial = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong))),
        };
    }

    private static Certificate SignBody(CertificateBody body, SigningKey key)
    {
        var bodyBytes = body.ToByteArray();
        return new Certificate
        {
            Body = UnsafeByteOperations.UnsafeWrap(bodyBytes),
            IssuerSignature = UnsafeByteOperations.UnsafeWrap(key.Sign(bodyBytes)),
        };
    }
}
