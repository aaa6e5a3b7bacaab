using System.Security.Cryptography;
using System.Text;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Comm;

/// <summary>
/// The signed connection handshake: binds the sender's PKI-ID to the pair of comm actor addresses it was sent on,
/// at a time, so a recorded handshake cannot be replayed from another address or much later; and carries a fresh
/// X25519 key from which both sides agree the session's MAC keys (<see cref="SessionKeys"/>). The initiator asks
/// for an answer; the answer names the initiator's ephemeral key, so it answers that handshake and no other.
/// </summary>
public static class Handshake
{
    /// <summary>How far a handshake's timestamp may be from the receiver's clock.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static ByteString BindingHash(string senderAddress, string receiverAddress, long timestampUnixMs) =>
        ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes($"{senderAddress}|{receiverAddress}|{timestampUnixMs}")));

    /// <param name="answering">The initiator's ephemeral key when this is the answer; null when we initiate.</param>
    public static SignedEnvelope Create(NodeIdentity self, string selfAddress, string peerAddress, DateTimeOffset now,
        byte[] ephemeralKey, ByteString? answering)
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
                ReplyRequested = answering is null,
                EphemeralKey = ByteString.CopyFrom(ephemeralKey),
                PeerEphemeralKey = answering ?? ByteString.Empty,
            },
        };
        return EnvelopeCodec.Sign(message, self.Key);
    }

    /// <summary>
    /// Checks the binding of an already signature-verified handshake; null when it holds, else why not. Total: any
    /// timestamp (the whole 64-bit range) is compared without conversion, so no value can make it throw.
    /// </summary>
    public static string? CheckBinding(ConnectionHandshake handshake, string senderAddress, string receiverAddress, DateTimeOffset now)
    {
        var skewMs = Int128.Abs((Int128)now.ToUnixTimeMilliseconds() - handshake.TimestampUnixMs);
        if (skewMs > (Int128)MaxClockSkew.TotalMilliseconds)
        {
            return $"handshake timestamp {handshake.TimestampUnixMs} (Unix ms) is {skewMs / 1000}s away from our clock (max {MaxClockSkew.TotalSeconds:F0}s)";
        }
        if (handshake.EphemeralKey.Length != EphemeralKey.PublicLength)
        {
            return $"handshake carries an ephemeral key of {handshake.EphemeralKey.Length} bytes, not {EphemeralKey.PublicLength}";
        }
        var expected = BindingHash(senderAddress, receiverAddress, handshake.TimestampUnixMs);
        return expected.Equals(handshake.BindingHash)
            ? null
            : $"binding hash does not match sender {senderAddress} and receiver {receiverAddress}";
    }
}
