namespace GossipActors.Crypto;

/// <summary>Why a certificate was refused. <see cref="None"/> means it was accepted.</summary>
public enum CertificateRejection
{
    None = 0,
    /// <summary>Not a parsable certificate, a missing field, an impossible validity window, or too large.</summary>
    Malformed,
    /// <summary>Its MSP id names no organisation whose CA we trust.</summary>
    UnknownOrganisation,
    /// <summary>The issuer signature does not verify with the organisation's CA key (wrong CA or tampered bytes).</summary>
    BadIssuerSignature,
    /// <summary>Its validity window (or its CA's) ended before now.</summary>
    Expired,
    /// <summary>Its validity window (or its CA's) starts after now.</summary>
    NotYetValid,
    /// <summary>The subject public key is not a 32-byte Ed25519 key.</summary>
    InvalidPublicKey,
    /// <summary>The role is unspecified, or it is a CA certificate presented as a node identity.</summary>
    InvalidRole,
}

/// <summary>The outcome of checking one certificate: valid with the parsed certificate, or a typed reason.</summary>
public sealed record CertificateCheck(bool IsValid, CertificateRejection Reason, string Detail, ParsedCertificate? Certificate)
{
    public static CertificateCheck Valid(ParsedCertificate certificate) =>
        new(true, CertificateRejection.None, $"certificate '{certificate.Name}' of {certificate.MspId} is valid", certificate);

    public static CertificateCheck Rejected(CertificateRejection reason, string detail, ParsedCertificate? certificate = null) =>
        new(false, reason, detail, certificate);
}
