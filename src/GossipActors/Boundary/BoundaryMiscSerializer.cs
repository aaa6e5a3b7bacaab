using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Remote.Serialization;
using Akka.Serialization;

namespace GossipActors.Boundary;

/// <summary>
/// Akka.Remote's serializer of its own small messages (id 16) as a boundary system accepts it: only
/// <see cref="Identify"/>, <see cref="ActorIdentity"/> and actor references, which resolving comm needs. Everything
/// else it knows is refused on arrival (counted as <see cref="FrameRefusal.DisallowedType"/>), above all <see cref="Kill"/> (which untrusted mode lets through, to any
/// actor, /system ones included) and <see cref="PoisonPill"/>; also Status, Config, routers and scopes. Sending is
/// unchanged.
/// </summary>
public sealed class BoundaryMiscSerializer : SerializerWithStringManifest
{
    public const int Id = 16;

    /// <summary>The serializer label of its refusals (Akka's name for the serializer it stands in front of).</summary>
    public const string Name = "akka-misc";

    // MiscMessageSerializer's manifests of Identify, ActorIdentity and IActorRef.
    private static readonly HashSet<string> Accepted = new(StringComparer.Ordinal) { "ID", "AID", "AR" };

    private readonly MiscMessageSerializer _akka;

    public BoundaryMiscSerializer(ExtendedActorSystem system) : base(system) => _akka = new MiscMessageSerializer(system);

    public override int Identifier => Id;

    public override string Manifest(object o) => _akka.Manifest(o);

    public override byte[] ToBinary(object obj) => _akka.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (Accepted.Contains(manifest))
        {
            return _akka.FromBinary(bytes, manifest);
        }
        BoundaryRefusals.For(system).FrameRefused(Name, FrameRefusal.DisallowedType);
        throw new SerializationException(
            $"Refused a message with manifest '{Printable(manifest)}' for serializer {Id}: across the trust boundary only Identify, ActorIdentity and actor references are accepted.");
    }

    private static string Printable(string manifest) =>
        new([.. manifest.Take(32).Select(c => char.IsControl(c) ? '?' : c)]);
}
