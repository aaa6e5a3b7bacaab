using GossipActors.Crypto;

namespace GossipActors.Comm;

/// <summary>A verified identity: who a peer is, as its certificate says.</summary>
public sealed record PeerIdentityInfo(PkiId PkiId, string MspId, string Name, ParsedCertificate Certificate)
{
    public static PeerIdentityInfo From(ParsedCertificate certificate) =>
        new(certificate.PkiId, certificate.MspId, certificate.Name, certificate);

    public override string ToString() => Logging.PeerLabel.Of(Name, MspId, PkiId);
}
