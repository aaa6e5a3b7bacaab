using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>
/// A certificate parsed from the exact bytes received. Its signature is NOT checked by parsing:
/// only a <see cref="CertificateVerifier"/> says whether it is trustworthy. Equality is by <see cref="Bytes"/>.
/// </summary>
public sealed record ParsedCertificate
{
    /// <summary>Certificates larger than this are refused as malformed before parsing.</summary>
    public const int MaxSize = 4096;

    private ParsedCertificate(ByteString bytes, ByteString issuerSignature, CertificateBody body, VerificationKey publicKey,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Bytes = bytes;
        IssuerSignature = issuerSignature;
        Body = body;
        PkiId = PkiId.FromCertificate(bytes.Span);
        PublicKey = publicKey;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    /// <summary>The serialized <see cref="Certificate"/> exactly as received.</summary>
    public ByteString Bytes { get; }
    public CertificateBody Body { get; }
    /// <summary>The issuer's signature over the body bytes.</summary>
    public ByteString IssuerSignature { get; }
    public PkiId PkiId { get; }
    public string MspId => Body.MspId;
    public string Name => Body.Name;
    public NodeRole Role => Body.Role;
    public VerificationKey PublicKey { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }

    /// <summary>The signed body bytes inside the certificate (what the issuer signed).</summary>
    internal ByteString BodyBytes { get; private init; } = ByteString.Empty;

    public bool IsWithinValidity(DateTimeOffset now) => now >= NotBefore && now <= NotAfter;

    public Certificate ToCertificate() => Certificate.Parser.ParseFrom(Bytes);

    public static ParsedCertificate Parse(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return TryParse(certificate.ToByteString(), out var parsed, out var reason, out var detail)
            ? parsed!
            : throw new ArgumentException($"Invalid certificate ({reason}): {detail}", nameof(certificate));
    }

    /// <summary>Parses without throwing: malformed input yields a typed reason and a sentence.</summary>
    public static bool TryParse(ByteString bytes, out ParsedCertificate? parsed, out CertificateRejection reason, out string detail)
    {
        parsed = null;
        if (bytes is null || bytes.IsEmpty)
        {
            return Fail(CertificateRejection.Malformed, "the certificate is empty", out reason, out detail);
        }
        if (bytes.Length > MaxSize)
        {
            return Fail(CertificateRejection.Malformed, $"the certificate is {bytes.Length} bytes, above the limit of {MaxSize}", out reason, out detail);
        }
        Certificate certificate;
        CertificateBody body;
        try
        {
            certificate = Certificate.Parser.ParseFrom(bytes);
            body = CertificateBody.Parser.ParseFrom(certificate.Body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return Fail(CertificateRejection.Malformed, "the certificate does not parse: " + ex.Message, out reason, out detail);
        }
        var who = $"certificate '{body.Name}' of '{body.MspId}'";
        if (body.MspId.Length == 0 || body.Name.Length == 0)
        {
            return Fail(CertificateRejection.Malformed, $"{who} lacks an MSP id or a name", out reason, out detail);
        }
        if (body.Role is not (NodeRole.Peer or NodeRole.Orderer or NodeRole.Ca))
        {
            return Fail(CertificateRejection.InvalidRole, $"{who} has no valid role ({body.Role})", out reason, out detail);
        }
        if (!TryTime(body.NotBeforeUnixMs, out var notBefore) || !TryTime(body.NotAfterUnixMs, out var notAfter) || notAfter < notBefore)
        {
            return Fail(CertificateRejection.Malformed, $"{who} has an impossible validity window", out reason, out detail);
        }
        if (!VerificationKey.TryImport(body.PublicKey.Span, out var key))
        {
            return Fail(CertificateRejection.InvalidPublicKey,
                $"{who} carries a {body.PublicKey.Length}-byte public key that is not a valid Ed25519 key", out reason, out detail);
        }
        parsed = new ParsedCertificate(bytes, certificate.IssuerSignature, body, key!, notBefore, notAfter) { BodyBytes = certificate.Body };
        reason = CertificateRejection.None;
        detail = who + " parsed";
        return true;
    }

    public bool Equals(ParsedCertificate? other) => other is not null && Bytes.Equals(other.Bytes);

    public override int GetHashCode() => PkiId.GetHashCode();

    public override string ToString() => $"{Name} ({MspId}, {Role}, {PkiId})";

    private static bool TryTime(long unixMs, out DateTimeOffset time)
    {
        var ok = unixMs >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && unixMs <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        time = ok ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs) : default;
        return ok;
    }

    private static bool Fail(CertificateRejection why, string sentence, out CertificateRejection reason, out string detail)
    {
        reason = why;
        detail = sentence;
        return false;
    }
}
