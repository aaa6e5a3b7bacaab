using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Protocol.Wire;
using GossipActors.Serialization;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Boundary;

/// <summary>
/// Frames refused by a boundary system's serializers are counted by a fixed reason in that system's
/// <see cref="BoundaryRefusals"/> (an actor system extension) and exported to the registry its setup names.
/// </summary>
public sealed class BoundaryRefusalsTests : Akka.TestKit.Xunit2.TestKit
{
    private const int MaxBytes = 64 * 1024;
    private readonly CollectorRegistry _registry;

    public BoundaryRefusalsTests() : this(Metrics.NewCustomRegistry())
    {
    }

    private BoundaryRefusalsTests(CollectorRegistry registry) : base(ActorSystemSetup.Create(
        BootstrapSetup.Create().WithConfig(BoundaryConfig
            .BoundarySystem(new Listener("gossip", "127.0.0.1", 0, "127.0.0.1", false, "peer.address"), ["/user/peer/comm"])
            .WithFallback(ConfigurationFactory.ParseString($"akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = {MaxBytes}b"))
            .WithFallback(ReferenceConfig.Load())),
        new BoundaryRefusals(registry, "gossip_comm", "gossip").Setup))
    {
        _registry = registry;
    }

    private BoundaryRefusals Refusals => BoundaryRefusals.For(Sys);

    private string Exported() => PrometheusText.Export(_registry);

    private void Refused(int serializerId, byte[] bytes, string manifest) =>
        Assert.ThrowsAny<SerializationException>(() => Sys.Serialization.Deserialize(bytes, serializerId, manifest));

    [Fact]
    public void Gossip_wire_refusals_are_counted_by_reason_and_exported()
    {
        var envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(new byte[100]), Signature = ByteString.CopyFrom(new byte[64]) }.ToByteArray();

        Refused(SerializerIds.GossipWire, [1, 2, 3], "no-such-manifest");
        Refused(SerializerIds.GossipWire, new byte[MaxBytes + 1], GossipWireSerializer.EnvelopeManifest);
        Refused(SerializerIds.GossipWire, envelope[..^10], GossipWireSerializer.EnvelopeManifest);
        Refused(SerializerIds.GossipWire, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], GossipWireSerializer.BlockManifest);

        Assert.Equal(1, Refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.UnknownManifest));
        Assert.Equal(1, Refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.Oversize));
        Assert.Equal(2, Refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.Malformed));
        var text = Exported();
        Assert.Contains("gossip_comm_frames_refused_total{listener=\"gossip\",serializer=\"gossip-wire\",reason=\"UnknownManifest\"} 1", text);
        Assert.Contains("gossip_comm_frames_refused_total{listener=\"gossip\",serializer=\"gossip-wire\",reason=\"Oversize\"} 1", text);
        Assert.Contains("gossip_comm_frames_refused_total{listener=\"gossip\",serializer=\"gossip-wire\",reason=\"Malformed\"} 2", text);
    }

    [Fact]
    public void An_accepted_frame_counts_nothing()
    {
        var envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(new byte[100]) };

        Assert.Equal(envelope, Sys.Serialization.Deserialize(envelope.ToByteArray(), SerializerIds.GossipWire, GossipWireSerializer.EnvelopeManifest));

        Assert.All(Enum.GetValues<FrameRefusal>(), reason => Assert.Equal(0, Refusals.Frames(GossipWireSerializer.ConfigName, reason)));
    }

    [Fact]
    public void Kill_under_the_misc_serializer_and_frames_under_refused_serializer_ids_are_counted()
    {
        var misc = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new Identify("x"));
        Refused(misc.Identifier, misc.ToBinary(Kill.Instance), misc.Manifest(Kill.Instance));
        Refused(misc.Identifier, misc.ToBinary(PoisonPill.Instance), misc.Manifest(PoisonPill.Instance));
        var (_, refusedId) = BoundaryConfig.RefusedSerializers.First();
        Refused(refusedId, [1, 2, 3], "x");

        Assert.Equal(2, Refusals.Frames(BoundaryMiscSerializer.Name, FrameRefusal.DisallowedType));
        Assert.Equal(1, Refusals.Frames($"refused-{refusedId}", FrameRefusal.DisallowedSerializer));
        Assert.Contains($"gossip_comm_frames_refused_total{{listener=\"gossip\",serializer=\"akka-misc\",reason=\"DisallowedType\"}} 2", Exported());
    }

    [Fact]
    public void Each_actor_system_counts_its_own_refusals()
    {
        using var other = ActorSystem.Create("other", ReferenceConfig.Load());

        Assert.ThrowsAny<SerializationException>(() => other.Serialization.Deserialize([1], SerializerIds.GossipWire, "no-such-manifest"));

        Assert.Equal(1, BoundaryRefusals.For(other).Frames(GossipWireSerializer.ConfigName, FrameRefusal.UnknownManifest));
        Assert.Equal(0, Refusals.Frames(GossipWireSerializer.ConfigName, FrameRefusal.UnknownManifest));
        Assert.NotSame(Refusals, BoundaryRefusals.For(other));
    }
}
