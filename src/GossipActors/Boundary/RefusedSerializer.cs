using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace GossipActors.Boundary;

/// <summary>
/// Takes the place of one of Akka's default serializers in a system that faces other organisations, under that
/// serializer's identifier (<c>refused-identifier</c> in its serialization-settings section). Akka.Remote
/// deserializes a frame with whichever serializer id the sender wrote; this one refuses every payload, so Akka drops
/// the frame (logged, association kept; counted as <see cref="FrameRefusal.DisallowedSerializer"/> under the
/// serializer label <c>refused-&lt;id&gt;</c>) and the sender reaches no code of the real serializer. Nothing is sent with it.
/// A string-manifest serializer, so Akka hands it the sender's manifest as text instead of first loading the type it
/// names.
/// </summary>
public sealed class RefusedSerializer : SerializerWithStringManifest
{
    /// <summary>The key, in the serializer's serialization-settings section, that gives the identifier it stands in for.</summary>
    public const string IdentifierKey = "refused-identifier";

    private readonly int _identifier;

    public RefusedSerializer(ExtendedActorSystem system) : base(system) =>
        throw new ConfigurationException($"{nameof(RefusedSerializer)} needs a serialization-settings section with {IdentifierKey}.");

    public RefusedSerializer(ExtendedActorSystem system, Config config) : base(system) =>
        _identifier = config.GetInt(IdentifierKey, 0) is var id and not 0
            ? id
            : throw new ConfigurationException($"{nameof(RefusedSerializer)}: {IdentifierKey} is missing or 0 in its serialization-settings section.");

    public override int Identifier => _identifier;

    public override string Manifest(object o) => "";

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException(
            $"Refusing to send {obj?.GetType().FullName ?? "null"}: serializer {_identifier} is not used across the trust boundary.");

    public override object FromBinary(byte[] bytes, string manifest)
    {
        BoundaryRefusals.For(system).FrameRefused($"refused-{_identifier}", FrameRefusal.DisallowedSerializer);
        throw new SerializationException(
            $"Refused a payload of {bytes.Length} bytes for serializer {_identifier}: not accepted across the trust boundary.");
    }
}
