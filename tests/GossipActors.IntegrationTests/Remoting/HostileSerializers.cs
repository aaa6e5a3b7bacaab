using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Serialization;

namespace GossipActors.IntegrationTests.Remoting;

/// <summary>Raw bytes and a manifest of our choosing, sent under the gossip-wire serializer id (701).</summary>
public sealed record HostileWireFrame(string Manifest, byte[] Bytes);

/// <summary>Raw bytes sent under Hyperion's serializer id (-5), which a boundary system does not register.</summary>
public sealed record HostileControlFrame(byte[] Bytes);

/// <summary>
/// Test-only: impersonates <see cref="GossipWireSerializer"/> on a sender (same id, 701). Real wire messages go
/// through the real serializer; <see cref="HostileWireFrame"/>s go out exactly as given.
/// </summary>
public sealed class RogueWireSerializer : SerializerWithStringManifest
{
    private readonly GossipWireSerializer _real;

    public RogueWireSerializer(ExtendedActorSystem system, Config config) : base(system) =>
        _real = new GossipWireSerializer(system, config);

    public override int Identifier => SerializerIds.GossipWire;

    public override string Manifest(object o) => o is HostileWireFrame frame ? frame.Manifest : _real.Manifest(o);

    public override byte[] ToBinary(object obj) => obj is HostileWireFrame frame ? frame.Bytes : _real.ToBinary(obj);

    public override object FromBinary(byte[] bytes, string manifest) => _real.FromBinary(bytes, manifest);
}

/// <summary>Test-only: impersonates Akka.Serialization.Hyperion on a sender (same id, -5).</summary>
public sealed class RogueControlPlaneSerializer : Serializer
{
    public RogueControlPlaneSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    public RogueControlPlaneSerializer(ExtendedActorSystem system, Config config) : base(system) => _ = config;

    public override int Identifier => SerializerIds.Hyperion;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) => ((HostileControlFrame)obj).Bytes;

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new NotSupportedException("The rogue serializer only sends.");
}
