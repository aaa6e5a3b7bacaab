using System.Runtime.Serialization;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Serialization;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Serialization;

public sealed class GossipWireSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    private const int MaxBytes = 64 * 1024;

    public GossipWireSerializerTests()
        : base(ReferenceConfig.WithFallback(ConfigurationFactory.ParseString(
            $"akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = {MaxBytes}b")))
    {
    }

    private GossipWireSerializer Wire => (GossipWireSerializer)Sys.Serialization.FindSerializerForType(typeof(SignedEnvelope));

    private static SignedEnvelope AliveEnvelope(SigningKey key) => EnvelopeCodec.WithSecret(EnvelopeCodec.Sign(new GossipMessage
    {
        Nonce = 42,
        Tag = GossipTag.Empty,
        AliveMsg = new AliveMessage
        {
            Membership = new Member { Endpoint = "peer0.org1:7051", Org = "Org1MSP", PkiId = ByteString.CopyFrom(new byte[32]) },
            Timestamp = new PeerTime { IncNum = 1_700_000_000, SeqNum = 9 },
            Identity = ByteString.CopyFrom(new byte[120]),
        },
    }, key), "10.0.0.5:7051", key);

    private static Block SampleBlock(int txBytes) => new()
    {
        HeaderBytes = new BlockHeader { Number = 5, Channel = "mychannel", PreviousHash = ByteString.CopyFrom(new byte[32]) }.ToByteString(),
        Data = new BlockData { Transactions = { ByteString.CopyFrom(new byte[txBytes]) } },
        Metadata = new BlockMetadata { OrdererSignature = ByteString.CopyFrom(new byte[64]) },
    };

    private static Certificate SampleCertificate() => new()
    {
        Body = new CertificateBody { MspId = "Org1MSP", Name = "peer0.org1", Role = NodeRole.Peer, PublicKey = ByteString.CopyFrom(new byte[32]) }.ToByteString(),
        IssuerSignature = ByteString.CopyFrom(new byte[64]),
    };

    private object RoundTrip(object message)
    {
        var manifest = Wire.Manifest(message);
        return Wire.FromBinary(Wire.ToBinary(message), manifest);
    }

    [Fact]
    public void Wire_types_are_bound_to_the_gossip_wire_serializer_with_id_701()
    {
        foreach (var type in new[] { typeof(SignedEnvelope), typeof(Block), typeof(Certificate) })
        {
            var serializer = Sys.Serialization.FindSerializerForType(type);
            Assert.IsType<GossipWireSerializer>(serializer);
            Assert.Equal(701, serializer.Identifier);
        }
    }

    [Fact]
    public void Signed_envelope_round_trips_with_manifest_E_and_still_verifies()
    {
        using var key = SigningKey.Generate();
        var envelope = AliveEnvelope(key);

        Assert.Equal("E", Wire.Manifest(envelope));
        var back = Assert.IsType<SignedEnvelope>(RoundTrip(envelope));
        Assert.Equal(envelope, back);
        Assert.True(EnvelopeCodec.VerifySignature(back, key.PublicKey));
        Assert.Equal("10.0.0.5:7051", EnvelopeCodec.InternalEndpoint(back, key.PublicKey));
    }

    [Fact]
    public void Block_round_trips_with_manifest_B()
    {
        var block = SampleBlock(1000);
        Assert.Equal("B", Wire.Manifest(block));
        Assert.Equal(block, RoundTrip(block));
    }

    [Fact]
    public void CommAck_round_trips_with_manifest_A()
    {
        var ack = new CommAck { Received = 4096 };
        Assert.Equal("A", Wire.Manifest(ack));
        Assert.Equal(ack, RoundTrip(ack));
    }

    [Fact]
    public void Certificate_round_trips_with_manifest_C()
    {
        var certificate = SampleCertificate();
        Assert.Equal("C", Wire.Manifest(certificate));
        Assert.Equal(certificate, RoundTrip(certificate));
    }

    [Fact]
    public void Through_Akka_serialization_the_envelope_round_trips_by_id_and_manifest()
    {
        using var key = SigningKey.Generate();
        var envelope = AliveEnvelope(key);
        var serializer = Sys.Serialization.FindSerializerFor(envelope);
        var bytes = serializer.ToBinary(envelope);

        var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, envelope));
        Assert.Equal(envelope, back);
    }

    [Fact]
    public void Unknown_manifest_is_refused_and_named()
    {
        var bytes = SampleCertificate().ToByteArray();
        var ex = Assert.Throws<SerializationException>(() => Wire.FromBinary(bytes, "System.Diagnostics.Process, System"));
        Assert.Contains("unknown manifest 'System.Diagnostics.Process, System'", ex.Message);
    }

    [Fact]
    public void Truncated_envelope_is_refused_with_the_parse_error_inside()
    {
        using var key = SigningKey.Generate();
        var bytes = AliveEnvelope(key).ToByteArray();

        var ex = Assert.Throws<SerializationException>(() => Wire.FromBinary(bytes[..^5], GossipWireSerializer.EnvelopeManifest));
        Assert.IsType<InvalidProtocolBufferException>(ex.InnerException);
        Assert.Contains("malformed", ex.Message);
    }

    [Fact]
    public void Garbage_bytes_are_refused_as_malformed()
    {
        var garbage = Enumerable.Repeat((byte)0xFF, 40).ToArray();
        var ex = Assert.Throws<SerializationException>(() => Wire.FromBinary(garbage, GossipWireSerializer.BlockManifest));
        Assert.IsType<InvalidProtocolBufferException>(ex.InnerException);
    }

    [Fact]
    public void Payload_above_the_maximum_is_refused_before_parsing()
    {
        var oversize = SampleBlock(MaxBytes).ToByteArray();
        Assert.True(oversize.Length > MaxBytes);

        var ex = Assert.Throws<SerializationException>(() => Wire.FromBinary(oversize, GossipWireSerializer.BlockManifest));
        Assert.Contains("max-envelope-bytes", ex.Message);
        Assert.Null(ex.InnerException);
    }

    [Fact]
    public void Sending_a_message_above_the_maximum_is_refused()
    {
        var ex = Assert.Throws<SerializationException>(() => Wire.ToBinary(SampleBlock(MaxBytes)));
        Assert.Contains("Refusing to send", ex.Message);
    }

    [Fact]
    public void A_message_of_exactly_the_maximum_is_accepted()
    {
        var block = SampleBlock(MaxBytes - 200);
        var padding = MaxBytes - block.CalculateSize();
        block.Data.Transactions[0] = ByteString.CopyFrom(new byte[MaxBytes - 200 + padding]);
        // the length prefix may have grown by a byte; trim until the size is exact
        while (block.CalculateSize() > MaxBytes)
        {
            block.Data.Transactions[0] = ByteString.CopyFrom(new byte[block.Data.Transactions[0].Length - 1]);
        }
        Assert.Equal(MaxBytes, block.CalculateSize());
        Assert.Equal(block, RoundTrip(block));
    }

    [Fact]
    public void Invalid_maximum_is_a_configuration_error_naming_the_key()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new GossipWireSerializer((Akka.Actor.ExtendedActorSystem)Sys,
            ConfigurationFactory.ParseString("max-envelope-bytes = 0b")));
        Assert.Contains("akka.actor.serialization-settings.gossip-wire.max-envelope-bytes", ex.Message);
    }
}
