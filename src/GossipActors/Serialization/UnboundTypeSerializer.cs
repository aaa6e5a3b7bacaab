using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using GossipActors.Boundary;

namespace GossipActors.Serialization;

/// <summary>
/// The fallback for every type with no serializer binding (bound to System.Object in reference.conf, in place of
/// Akka's JSON). Akka's JSON with <c>encode-type-names = off</c> writes no manifest, so whatever it carries arrives
/// as an untyped <c>JObject</c>: a message sent to another node, or checked with
/// <c>akka.actor.serialize-messages = on</c>, reached its actor as something no Receive matches, with no error anywhere
/// (an Identify that became a JObject left comm's ResolveOne unanswered). This serializer refuses instead, naming the
/// type and the two remedies, so Akka logs the failure (Akka.Remote for a send; the actor cell's "Swallowing exception
/// during message send" error for a verified local send). It refuses every inbound payload too (counted as
/// <see cref="FrameRefusal.DisallowedSerializer"/> under the label <see cref="Name"/>).
/// </summary>
public sealed class UnboundTypeSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The name under akka.actor.serializers, and the label of its inbound refusals.</summary>
    public const string Name = "unbound";

    public override int Identifier => SerializerIds.UnboundType;

    public override string Manifest(object o) => "";

    public override byte[] ToBinary(object obj) => throw new SerializationException(
        $"No serializer is bound to {obj?.GetType().FullName ?? "null"}: a message that leaves its process needs a binding under " +
        "akka.actor.serialization-bindings (with a serializer that round-trips it); a message that never leaves its process " +
        "implements Akka.Actor.INoSerializationVerificationNeeded.");

    public override object FromBinary(byte[] bytes, string manifest)
    {
        BoundaryRefusals.For(system).FrameRefused(Name, FrameRefusal.DisallowedSerializer);
        throw new SerializationException($"Refused a payload of {bytes.Length} bytes for serializer {Identifier}: nothing is ever sent with it.");
    }
}
