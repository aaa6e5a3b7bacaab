using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>A remote frame exactly as a hostile sender chooses it: serializer id, manifest and bytes.</summary>
public sealed record HostileFrame(int SerializerId, string Manifest, byte[] Bytes);

/// <summary>
/// Test-only, on the attacker: writes a <see cref="HostileFrame"/> under the frame's own serializer id. Akka.Remote
/// reads <see cref="Identifier"/> right after <see cref="ToBinary"/>, on the same thread, so the id travels per frame.
/// </summary>
public sealed class HostileFrameSerializer : SerializerWithStringManifest
{
    [ThreadStatic]
    private static int? _current;

    public HostileFrameSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public HostileFrameSerializer(ExtendedActorSystem system, Config config) : base(system) => _ = config;

    public override int Identifier => _current ?? 9_999;

    public override string Manifest(object o) => ((HostileFrame)o).Manifest;

    public override byte[] ToBinary(object obj)
    {
        var frame = (HostileFrame)obj;
        _current = frame.SerializerId;
        return frame.Bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) => throw new NotSupportedException("sends only");

    public const string Hocon = """
        akka.actor.serializers.hostile-frame = "GossipActors.IntegrationTests.Hostile.HostileFrameSerializer, GossipActors.IntegrationTests"
        akka.actor.serialization-bindings { "GossipActors.IntegrationTests.Hostile.HostileFrame, GossipActors.IntegrationTests" = hostile-frame }
        """;
}

/// <summary>An actor a hostile node asks the target to deploy remotely.</summary>
public sealed class Implant : ReceiveActor
{
    public Implant() => ReceiveAny(_ => { });
}
