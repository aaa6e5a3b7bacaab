using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Discovery;

/// <summary>Builds this peer's signed alive message: identity, endpoints, incarnation and sequence.</summary>
public static class AliveEnvelope
{
    /// <param name="externalEndpoint">Visible to other orgs; empty keeps the peer invisible outside its org.</param>
    /// <param name="internalEndpoint">Carried in the signed secret part, which is stripped before crossing orgs.</param>
    /// <param name="includeCertificate">Carry our certificate (peer.gossip.publishCertPeriod after start); without it
    /// receivers verify the message with the identity they learned before (handshake, earlier alive, peer identity).</param>
    public static SignedEnvelope Create(NodeIdentity self, string externalEndpoint, string? internalEndpoint, ulong incarnation, ulong sequence,
        bool includeCertificate = true)
    {
        var message = new GossipMessage
        {
            Nonce = sequence,
            Tag = GossipTag.Empty,
            AliveMsg = new AliveMessage
            {
                Membership = new Member { Endpoint = externalEndpoint, PkiId = self.PkiId.ToByteString(), Org = self.MspId },
                Timestamp = new Protocol.Wire.PeerTime { IncNum = incarnation, SeqNum = sequence },
                Identity = includeCertificate ? self.Certificate.Bytes : ByteString.Empty,
            },
        };
        var envelope = EnvelopeCodec.Sign(message, self.Key);
        return string.IsNullOrEmpty(internalEndpoint) ? envelope : EnvelopeCodec.WithSecret(envelope, internalEndpoint, self.Key);
    }
}
