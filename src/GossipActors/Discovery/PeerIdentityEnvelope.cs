using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Discovery;

/// <summary>
/// A peer's certificate in a message signed by the peer itself, relayed unchanged by others. Once alive messages stop
/// carrying the certificate (after peer.gossip.publishCertPeriod), this is how a peer that never connected to another
/// learns the identity it needs to verify that peer's relayed alive messages (Fabric's identity messages).
/// </summary>
public static class PeerIdentityEnvelope
{
    public static SignedEnvelope Create(NodeIdentity self) => EnvelopeCodec.Sign(new GossipMessage
    {
        Tag = GossipTag.Empty,
        PeerIdentity = new PeerIdentity { PkiId = self.PkiId.ToByteString(), Cert = self.Certificate.Bytes },
    }, self.Key);
}
