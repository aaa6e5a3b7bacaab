using Akka.Configuration;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Serialization;

/// <summary>Pins every akka.* default of reference.conf; a changed default must change a test.</summary>
public sealed class SerializationReferenceConfigTests
{
    private static readonly Config Reference = ReferenceConfig.Load();

    [Theory]
    [InlineData("akka.actor.serialization-settings.gossip-wire.max-envelope-bytes", 8L * 1024 * 1024)]
    [InlineData("akka.remote.dot-netty.tcp.maximum-frame-size", 16L * 1024 * 1024)]
    [InlineData("akka.remote.dot-netty.tcp.send-buffer-size", 16L * 1024 * 1024)]
    [InlineData("akka.remote.dot-netty.tcp.receive-buffer-size", 16L * 1024 * 1024)]
    public void Byte_size_defaults_are_pinned(string key, long expected) =>
        Assert.Equal(expected, Reference.GetByteSize(key));

    [Fact]
    public void Frame_holds_the_largest_envelope_with_room_for_Akkas_own_envelope()
    {
        var frame = Reference.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size")!.Value;
        var envelope = Reference.GetByteSize("akka.actor.serialization-settings.gossip-wire.max-envelope-bytes")!.Value;
        Assert.True(frame >= envelope + 64 * 1024, $"frame {frame} must exceed envelope {envelope} by at least 64 KiB");
    }

    [Fact]
    public void Json_serializer_does_not_encode_type_names_or_object_references()
    {
        Assert.False(Reference.GetBoolean("akka.actor.serialization-settings.json.encode-type-names", true));
        Assert.False(Reference.GetBoolean("akka.actor.serialization-settings.json.preserve-object-references", true));
    }

    [Fact]
    public void Serializers_bindings_and_identifiers_are_registered()
    {
        Assert.Equal("GossipActors.Serialization.GossipWireSerializer, GossipActors", Reference.GetString("akka.actor.serializers.gossip-wire"));
        Assert.False(Reference.HasPath("akka.actor.serializers.control-plane"));
        Assert.False(Reference.HasPath("akka.actor.serializers.hyperion")); // registered in code, in the org system only
        var bindings = Reference.GetConfig("akka.actor.serialization-bindings").AsEnumerable()
            .ToDictionary(kv => kv.Key, kv => kv.Value.GetString());
        Assert.Equal("gossip-wire", bindings["GossipActors.Protocol.Wire.SignedEnvelope, GossipActors"]);
        Assert.Equal("gossip-wire", bindings["GossipActors.Protocol.Wire.Block, GossipActors"]);
        Assert.Equal("gossip-wire", bindings["GossipActors.Protocol.Wire.Certificate, GossipActors"]);
        Assert.DoesNotContain("GossipActors.Serialization.IControlMessage, GossipActors", bindings.Keys);
        var ids = Reference.GetConfig("akka.actor.serialization-identifiers").AsEnumerable()
            .ToDictionary(kv => kv.Key, kv => kv.Value.GetInt());
        Assert.Equal(701, ids["GossipActors.Serialization.GossipWireSerializer, GossipActors"]);
        Assert.Equal("unbound", bindings["System.Object"]); // not Akka's JSON, which turns unbound types into JObjects
        Assert.Equal("GossipActors.Serialization.UnboundTypeSerializer, GossipActors", Reference.GetString("akka.actor.serializers.unbound"));
        Assert.Equal(702, ids["GossipActors.Serialization.UnboundTypeSerializer, GossipActors"]);
        Assert.Empty(Reference.GetStringList("akka.actor.serialization-settings.hyperion.allowed-types"));
    }
}
