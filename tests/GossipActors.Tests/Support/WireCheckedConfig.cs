using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Configuration;

namespace GossipActors.Tests.Support;

/// <summary>
/// Configuration for actor specs whose peers share one in-process actor system: <c>akka.actor.serialize-messages =
/// on</c> with the serializers and bindings of a peer's gossip system (reference.conf; Akka.Remote's bindings, which a
/// remote system loads and a local one does not; the boundary's refusals; Akka's misc serializer, so a spec may Kill an actor). Every message an
/// actor receives then goes through the serializer that would carry it between peers, and arrives as the copy that
/// serializer makes, unless it is marked INoSerializationVerificationNeeded (it never leaves its process). A type with
/// no binding is refused with its name (UnboundTypeSerializer), and the error is logged: see
/// <see cref="SerializationFailureWatch"/>. Akka's StopChild (Sys.Stop) is carried by <see cref="StopChildSerializer"/>.
/// </summary>
public static class WireCheckedConfig
{
    /// <summary>Akka.Remote's own reference configuration (Identify, ActorIdentity, Status, ... to akka-misc).</summary>
    private static readonly Config RemoteReference = ConfigurationFactory.FromResource(
        "Akka.Remote.Configuration.Remote.conf", typeof(Akka.Remote.RemoteActorRefProvider).Assembly);

    /// <summary>
    /// Akka's own misc serializer instead of the boundary's, which refuses Kill and PoisonPill on arrival from another
    /// node (BoundarySystemTests): in one process a spec may Kill an actor to restart it under supervision.
    /// </summary>
    private const string InProcessMisc = "akka.actor.serializers.akka-misc = \"Akka.Remote.Serialization.MiscMessageSerializer, Akka.Remote\"";

    /// <param name="settings">Spec settings (HOCON) in front of everything else.</param>
    public static Config With(string settings) =>
        ConfigurationFactory.ParseString(settings + "\nakka.actor.serialize-messages = on\n" + StopChildSerializer.Binding + "\n" + InProcessMisc)
            .WithFallback(BoundaryConfig.BoundarySerializers())
            .WithFallback(ReferenceConfig.Load())
            .WithFallback(RemoteReference);
}
