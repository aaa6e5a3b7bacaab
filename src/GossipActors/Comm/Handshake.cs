using System.Security.Cryptography;
using System.Text;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Comm;

/// <summary>
/// The signed connection handshake: binds the sender's PKI-ID to the pair of comm actor addresses it was sent on,
/// at a time, so a recorded handshake cannot be replayed from another address or much later.
/// </summary>
public static class Handshake
{
    /// <summary>How far a handshake's timestamp may be from the receiver's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static ByteString BindingHash(string senderAddress, string receiverAddress, long timestampUnixMs) =>
        ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes($"{senderAddress}|{receiverAddress}|{timestampUnixMs}")));

    public static SignedEnvelope Create(NodeIdentity self, string selfAddress, string peerAddress, DateTimeOffset now, bool replyRequested)
    {
        var timestamp = now.ToUnixTimeMilliseconds();
        var message = new GossipMessage
        {
            Nonce = (ulong)timestamp,
            Tag = GossipTag.Empty,
            Conn = new ConnectionHandshake
            {
                PkiId = self.PkiId.ToByteString(),
                Identity = self.Certificate.Bytes,
                BindingHash = BindingHash(selfAddress, peerAddress, timestamp),
                TimestampUnixMs = timestamp,
                ReplyRequested = replyRequested,
            },
        };
        return EnvelopeCodec.Sign(message, self.Key);
    }

    /// <summary>Checks the binding of an already signature-verified handshake; null when it holds, else why not.</summary>
    public static string? CheckBinding(ConnectionHandshake handshake, string senderAddress, string receiverAddress, DateTimeOffset now)
    {
        var skew = (now - DateTimeOffset.FromUnixTimeMilliseconds(handshake.TimestampUnixMs)).Duration();
        if (skew > MaxClockSkew)
        {
            return $"handshake timestamp is {skew.TotalSeconds:F0}s away from our clock (max {MaxClockSkew.TotalSeconds:F0}s)";
        }
        var expected = BindingHash(senderAddress, receiverAddress, handshake.TimestampUnixMs);
        return expected.Equals(handshake.BindingHash)
            ? null
            : $"binding hash does not match sender {senderAddress} and receiver {receiverAddress}";
    }
}
