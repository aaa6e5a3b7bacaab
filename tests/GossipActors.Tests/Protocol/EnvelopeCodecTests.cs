using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Protocol;

public sealed class EnvelopeCodecTests
{
    private static GossipMessage Alive(ulong seq) => new()
    {
        Nonce = 7,
        Tag = GossipTag.Empty,
        AliveMsg = new AliveMessage
        {
            Membership = new Member { Endpoint = "peer0:7051", Org = "Org1MSP", PkiId = ByteString.CopyFrom(new byte[32]) },
            Timestamp = new PeerTime { IncNum = 1, SeqNum = seq },
        },
    };

    [Fact]
    public void Signed_envelope_verifies_with_the_signers_key_and_round_trips_its_payload()
    {
        using var key = SigningKey.Generate();
        var envelope = EnvelopeCodec.Sign(Alive(3), key);

        Assert.True(EnvelopeCodec.VerifySignature(envelope, key.PublicKey));
        Assert.True(EnvelopeCodec.TryParsePayload(envelope, out var parsed, out _));
        Assert.Equal(Alive(3), parsed);
    }

    [Fact]
    public void One_flipped_payload_bit_is_rejected()
    {
        using var key = SigningKey.Generate();
        var envelope = EnvelopeCodec.Sign(Alive(3), key);
        var bytes = envelope.Payload.ToByteArray();
        for (var bit = 0; bit < bytes.Length * 8; bit += 7)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var forged = new SignedEnvelope { Payload = ByteString.CopyFrom(tampered), Signature = envelope.Signature };
            Assert.False(EnvelopeCodec.VerifySignature(forged, key.PublicKey), $"bit {bit} flipped still verified");
        }
    }

    [Fact]
    public void Another_keys_signature_is_rejected()
    {
        using var key = SigningKey.Generate();
        using var other = SigningKey.Generate();
        Assert.False(EnvelopeCodec.VerifySignature(EnvelopeCodec.Sign(Alive(1), other), key.PublicKey));
    }

    [Fact]
    public void Secret_part_is_readable_inside_the_org_and_stripping_it_keeps_the_signature_valid()
    {
        using var key = SigningKey.Generate();
        var envelope = EnvelopeCodec.WithSecret(EnvelopeCodec.Sign(Alive(1), key), "10.0.0.5:7051", key);

        Assert.Equal("10.0.0.5:7051", EnvelopeCodec.InternalEndpoint(envelope, key.PublicKey));
        var stripped = EnvelopeCodec.WithoutSecret(envelope);
        Assert.Null(stripped.SecretEnvelope);
        Assert.Null(EnvelopeCodec.InternalEndpoint(stripped, key.PublicKey));
        Assert.True(EnvelopeCodec.VerifySignature(stripped, key.PublicKey));
    }

    [Fact]
    public void Truncated_payload_is_reported_as_malformed()
    {
        using var key = SigningKey.Generate();
        var payload = Alive(1).ToByteArray();
        var truncated = new SignedEnvelope { Payload = ByteString.CopyFrom(payload, 0, payload.Length - 3) };

        Assert.False(EnvelopeCodec.TryParsePayload(truncated, out var message, out var error));
        Assert.Null(message);
        Assert.StartsWith("malformed payload", error);
    }

    [Fact]
    public void PkiId_is_stable_for_the_same_certificate_bytes_and_differs_for_others()
    {
        var cert = new byte[] { 1, 2, 3, 4 };
        Assert.Equal(PkiId.FromCertificate(cert), PkiId.FromCertificate((byte[])cert.Clone()));
        Assert.NotEqual(PkiId.FromCertificate(cert), PkiId.FromCertificate([1, 2, 3, 5]));
        Assert.Equal("9f64a747e1b97f13", PkiId.FromCertificate(cert).ToString()); // SHA-256(01020304), first 8 bytes
    }
}
