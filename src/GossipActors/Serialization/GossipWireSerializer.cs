using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Boundary;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Serialization;

/// <summary>
/// Carries the protobuf wire messages over Akka.Remote with constant short manifests. A manifest it does not know
/// is refused (no type is ever loaded by name); a payload above <c>max-envelope-bytes</c> is refused before it is
/// parsed, on both the sending and the receiving side; malformed protobuf is refused with the parse error inside.
/// Every refusal is a <see cref="SerializationException"/>, which Akka.Remote logs and drops without closing the
/// association; inbound refusals are counted by reason in the system's <see cref="BoundaryRefusals"/>.
/// </summary>
public sealed class GossipWireSerializer : SerializerWithStringManifest
{
    /// <summary>The name under akka.actor.serializers and akka.actor.serialization-settings.</summary>
    public const string ConfigName = "gossip-wire";

    /// <summary>Manifest of <see cref="SignedEnvelope"/>, the gossip envelope.</summary>
    public const string EnvelopeManifest = "E";

    /// <summary>Manifest of <see cref="Block"/>, an orderer-signed block.</summary>
    public const string BlockManifest = "B";

    /// <summary>Manifest of <see cref="Certificate"/>, an identity.</summary>
    public const string CertificateManifest = "C";

    /// <summary>Manifest of <see cref="CommAck"/>, the comm layer's flow-control acknowledgement.</summary>
    public const string AckManifest = "A";

    /// <summary>Manifest of <see cref="OrderingEnvelope"/>: broadcast and deliver, between clients, peers and the orderer.</summary>
    public const string OrderingManifest = "O";

    /// <summary>Used by Akka when akka.actor.serialization-settings.gossip-wire is absent.</summary>
    public GossipWireSerializer(ExtendedActorSystem system) : this(system, null)
    {
    }

    /// <summary>Used by Akka with akka.actor.serialization-settings.gossip-wire.</summary>
    public GossipWireSerializer(ExtendedActorSystem system, Config? config) : base(system)
    {
        var section = SettingsReader.Section(config, system.Settings.Config, ConfigName);
        MaxEnvelopeBytes = SettingsReader.PositiveByteSize(section, ConfigName, "max-envelope-bytes");
    }

    public override int Identifier => SerializerIds.GossipWire;

    /// <summary>The largest payload sent or accepted, in bytes.</summary>
    public int MaxEnvelopeBytes { get; }

    public override string Manifest(object o) => o switch
    {
        SignedEnvelope => EnvelopeManifest,
        Block => BlockManifest,
        Certificate => CertificateManifest,
        CommAck => AckManifest,
        OrderingEnvelope => OrderingManifest,
        _ => throw new ArgumentException($"{nameof(GossipWireSerializer)} cannot serialize {o?.GetType().FullName ?? "null"}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        _ = Manifest(obj); // refuses anything that is not a wire type
        var message = (IMessage)obj;
        var size = message.CalculateSize();
        if (size > MaxEnvelopeBytes)
        {
            throw new SerializationException(
                $"Refusing to send a {obj.GetType().Name} of {size} bytes: above max-envelope-bytes ({MaxEnvelopeBytes}), peers would refuse it.");
        }
        return message.ToByteArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (ParserFor(manifest) is not { } parser)
        {
            Refused(FrameRefusal.UnknownManifest);
            throw new SerializationException(
                $"Refused a payload with unknown manifest '{Printable(manifest)}' for serializer {SerializerIds.GossipWire} ({nameof(GossipWireSerializer)}); known: {EnvelopeManifest}, {BlockManifest}, {CertificateManifest}, {AckManifest}, {OrderingManifest}.");
        }
        if (bytes.Length > MaxEnvelopeBytes)
        {
            Refused(FrameRefusal.Oversize);
            throw new SerializationException(
                $"Refused a payload of {bytes.Length} bytes with manifest '{manifest}': above max-envelope-bytes ({MaxEnvelopeBytes}).");
        }
        try
        {
            // Akka.Remote hands each message's bytes over in a fresh array: an envelope keeps slices of it instead of
            // copying its payload (megabytes for a state-transfer response).
            return (manifest == EnvelopeManifest ? AliasingEnvelopeReader.TryRead(bytes) : null) ?? parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Refused(FrameRefusal.Malformed);
            throw new SerializationException(
                $"Refused a malformed payload of {bytes.Length} bytes with manifest '{manifest}': {ex.Message}", ex);
        }
    }

    private void Refused(FrameRefusal reason) => BoundaryRefusals.For(system).FrameRefused(ConfigName, reason);

    private static MessageParser? ParserFor(string manifest) => manifest switch
    {
        EnvelopeManifest => SignedEnvelope.Parser,
        BlockManifest => Block.Parser,
        CertificateManifest => Certificate.Parser,
        AckManifest => CommAck.Parser,
        OrderingManifest => OrderingEnvelope.Parser,
        _ => null,
    };

    /// <summary>The manifest as it may appear in a log line: bounded and without control characters.</summary>
    private static string Printable(string? manifest)
    {
        if (manifest is null)
        {
            return "(null)";
        }
        var head = manifest.Length > 64 ? manifest[..64] + "..." : manifest;
        return new string(head.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
