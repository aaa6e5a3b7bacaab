using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>
/// Checks node certificates against the trusted CA of their organisation (one CA per MSP id).
/// Successful parses and CA-signature checks are cached by the exact certificate bytes (bounded, oldest evicted
/// first), so a hot path that sees the same identity on every message verifies the CA signature once; the
/// validity window is checked against <c>now</c> on every call. Thread-safe.
/// </summary>
public sealed class CertificateVerifier
{
    public const int DefaultCacheCapacity = 10_000;

    private readonly Dictionary<string, ParsedCertificate> _authorities = new(StringComparer.Ordinal);
    private readonly SignatureCache _cache;

    /// <summary>Throws <see cref="ArgumentException"/> if a trusted certificate is not a valid self-signed CA or an MSP id repeats.</summary>
    public CertificateVerifier(IEnumerable<Certificate> trustedCas, int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(trustedCas);
        ArgumentOutOfRangeException.ThrowIfLessThan(cacheCapacity, 1);
        _cache = new SignatureCache(cacheCapacity);
        foreach (var ca in trustedCas)
        {
            var parsed = ParsedCertificate.Parse(ca);
            if (parsed.Role != NodeRole.Ca || !parsed.PublicKey.Verify(parsed.BodyBytes.Span, parsed.IssuerSignature.Span))
            {
                throw new ArgumentException($"Trusted certificate '{parsed.Name}' of {parsed.MspId} is not a self-signed CA certificate.", nameof(trustedCas));
            }
            if (!_authorities.TryAdd(parsed.MspId, parsed))
            {
                throw new ArgumentException($"Two trusted CA certificates for organisation {parsed.MspId}; one CA per MSP id.", nameof(trustedCas));
            }
        }
        Organisations = _authorities.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The MSP ids whose CAs are trusted, sorted.</summary>
    public IReadOnlyCollection<string> Organisations { get; }

    /// <summary>How many verified certificates are cached now.</summary>
    public int CachedCount => _cache.Count;

    public bool TryGetAuthority(string mspId, out ParsedCertificate? authority) => _authorities.TryGetValue(mspId, out authority);

    /// <summary>Checks a serialized certificate: parse, organisation, CA signature, role, then validity at <paramref name="now"/>.</summary>
    public CertificateCheck Verify(ByteString certificateBytes, DateTimeOffset now)
    {
        if (certificateBytes is null)
        {
            return CertificateCheck.Rejected(CertificateRejection.Malformed, "no certificate");
        }
        if (!_cache.TryGet(certificateBytes, out var verified))
        {
            verified = VerifyUncached(certificateBytes);
            if (!verified.IsValid)
            {
                return verified;
            }
            _cache.Add(certificateBytes, verified);
        }
        var certificate = verified!.Certificate!;
        return certificate.IsWithinValidity(now) && _authorities[certificate.MspId].IsWithinValidity(now)
            ? verified // the cached outcome: no allocation on the hot path
            : CheckValidity(certificate, _authorities[certificate.MspId], now);
    }

    private CertificateCheck VerifyUncached(ByteString bytes)
    {
        if (!ParsedCertificate.TryParse(bytes, out var parsed, out var reason, out var detail))
        {
            return CertificateCheck.Rejected(reason, detail);
        }
        var who = $"certificate '{parsed!.Name}' of {parsed.MspId}";
        if (!_authorities.TryGetValue(parsed.MspId, out var ca))
        {
            return CertificateCheck.Rejected(CertificateRejection.UnknownOrganisation,
                $"{who}: organisation {parsed.MspId} is not trusted (trusted: {string.Join(", ", Organisations)})", parsed);
        }
        if (!ca.PublicKey.Verify(parsed.BodyBytes.Span, parsed.IssuerSignature.Span))
        {
            return CertificateCheck.Rejected(CertificateRejection.BadIssuerSignature,
                $"{who} is not signed by the CA of {parsed.MspId} (issued by another CA, or tampered)", parsed);
        }
        if (parsed.Role is not (NodeRole.Peer or NodeRole.Orderer))
        {
            return CertificateCheck.Rejected(CertificateRejection.InvalidRole, $"{who} has role {parsed.Role}, not a peer or an orderer", parsed);
        }
        return CertificateCheck.Valid(parsed);
    }

    private static CertificateCheck CheckValidity(ParsedCertificate certificate, ParsedCertificate ca, DateTimeOffset now)
    {
        var who = $"certificate '{certificate.Name}' of {certificate.MspId}";
        if (now > certificate.NotAfter)
        {
            return CertificateCheck.Rejected(CertificateRejection.Expired, $"{who} expired at {certificate.NotAfter:O} (now {now:O})", certificate);
        }
        if (now < certificate.NotBefore)
        {
            return CertificateCheck.Rejected(CertificateRejection.NotYetValid, $"{who} is valid only from {certificate.NotBefore:O} (now {now:O})", certificate);
        }
        if (now > ca.NotAfter)
        {
            return CertificateCheck.Rejected(CertificateRejection.Expired, $"{who}: its CA certificate expired at {ca.NotAfter:O} (now {now:O})", certificate);
        }
        if (now < ca.NotBefore)
        {
            return CertificateCheck.Rejected(CertificateRejection.NotYetValid, $"{who}: its CA certificate is valid only from {ca.NotBefore:O} (now {now:O})", certificate);
        }
        return CertificateCheck.Valid(certificate);
    }
}
