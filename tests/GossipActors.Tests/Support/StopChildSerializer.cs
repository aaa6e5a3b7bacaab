using System.Text;
using Akka.Actor;
using Akka.Dispatch.SysMsg;
using Akka.Serialization;

namespace GossipActors.Tests.Support;

/// <summary>
/// Carries Akka's StopChild (what ActorSystem.Stop tells a guardian) by the child's actor path, for specs that run
/// with akka.actor.serialize-messages = on (<see cref="WireCheckedConfig"/>): Akka.NET neither exempts that internal
/// message from the check nor binds a serializer to it, so without this a spec's Sys.Stop would be dropped (logged as a
/// serialization failure). Tests only; StopChild never crosses the wire.
/// </summary>
public sealed class StopChildSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const string Binding = """
        akka.actor.serializers.spec-stop-child = "GossipActors.Tests.Support.StopChildSerializer, GossipActors.Tests"
        akka.actor.serialization-bindings { "Akka.Dispatch.SysMsg.StopChild, Akka" = spec-stop-child }
        akka.actor.serialization-identifiers { "GossipActors.Tests.Support.StopChildSerializer, GossipActors.Tests" = 9901 }
        """;

    public override int Identifier => 9901;

    public override string Manifest(object o) => "S";

    public override byte[] ToBinary(object obj) =>
        Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.SerializedActorPath(((StopChild)obj).Child));

    public override object FromBinary(byte[] bytes, string manifest) =>
        new StopChild(system.Provider.ResolveActorRef(Encoding.UTF8.GetString(bytes)));
}
