using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Serialization;
using Hyperion.Internal;
using Xunit;

namespace GossipActors.Tests.Serialization;

public sealed class ControlPlaneSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public ControlPlaneSerializerTests()
        : base(ReferenceConfig.WithFallback(ConfigurationFactory.ParseString(ControlPlaneSpecConfig.Hocon)))
    {
    }

    private ControlPlaneSerializer ControlPlane => (ControlPlaneSerializer)Sys.Serialization.FindSerializerForType(typeof(IControlMessage));

    /// <summary>Bytes as an unrestricted Hyperion would write them: what a careless or hostile sender can produce.</summary>
    private static byte[] UnrestrictedHyperion(object value)
    {
        using var stream = new MemoryStream();
        new Hyperion.Serializer(new Hyperion.SerializerOptions(
            versionTolerance: false, preserveObjectReferences: false, surrogates: null, serializerFactories: null,
            knownTypes: null, ignoreISerializable: true, packageNameOverrides: [], disallowUnsafeTypes: false,
            typeFilter: Hyperion.DisabledTypeFilter.Instance)).Serialize(value, stream);
        return stream.ToArray();
    }

    [Fact]
    public void Control_messages_are_bound_to_the_control_plane_serializer_with_id_702_and_no_manifest()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new StatusQuery("c", 1, TestActor));
        Assert.IsType<ControlPlaneSerializer>(serializer);
        Assert.Equal(702, serializer.Identifier);
        Assert.False(serializer.IncludeManifest);
    }

    [Fact]
    public void Allow_listed_record_round_trips_and_its_actor_ref_resolves_to_the_same_actor()
    {
        var probe = CreateTestProbe();
        var query = new StatusQuery("mychannel", 3, probe.Ref);

        var back = Assert.IsType<StatusQuery>(ControlPlane.FromBinary(ControlPlane.ToBinary(query), null));

        Assert.Equal(query, back);
        Assert.Equal(probe.Ref, back.ReplyTo);
        back.ReplyTo.Tell("still reachable");
        probe.ExpectMsg("still reachable");
    }

    [Fact]
    public void Record_not_on_the_allow_list_is_refused_by_name_before_its_type_is_loaded()
    {
        var bytes = UnrestrictedHyperion(new UnlistedCommand("reboot"));

        var ex = Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(bytes, null));
        Assert.IsType<UserEvilDeserializationException>(ex.InnerException);
        Assert.Contains("UnlistedCommand", ex.ToString());
    }

    [Fact]
    public void Type_from_an_assembly_that_does_not_exist_is_refused_without_any_load_attempt()
    {
        // Same bytes, but the type now names an assembly nobody has: loading it would throw FileNotFoundException.
        var bytes = UnrestrictedHyperion(new UnlistedCommand("reboot"));
        var text = Encoding.UTF8.GetBytes("GossipActors.Tests");
        var at = bytes.AsSpan().IndexOf(text);
        Assert.True(at >= 0);
        Encoding.UTF8.GetBytes("GossipActors.Zzzzz").CopyTo(bytes, at);

        var ex = Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(bytes, null));
        Assert.IsType<UserEvilDeserializationException>(ex.InnerException);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "GossipActors.Zzzzz");
    }

    [Fact]
    public void Allow_listed_type_that_is_not_a_control_message_is_refused_after_parsing()
    {
        var bytes = UnrestrictedHyperion(new NotAControlMessage("hi"));

        var ex = Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(bytes, null));
        Assert.Contains("not an allow-listed IControlMessage", ex.Message);
    }

    [Fact]
    public void Unsafe_type_is_refused_even_when_allow_listed()
    {
        var bytes = UnrestrictedHyperion(new FileInfo("/etc/passwd"));

        var ex = Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(bytes, null));
        Assert.IsType<EvilDeserializationException>(ex.InnerException); // the deny-list, not the allow-list
    }

    [Fact]
    public void Truncated_or_garbage_bytes_are_refused()
    {
        var bytes = ControlPlane.ToBinary(new StatusQuery("mychannel", 3, TestActor));

        Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(bytes[..^6], null));
        Assert.Throws<SerializationException>(() => ControlPlane.FromBinary([0xFF, 0xFF, 0xFF, 0x7F, 0x01], null));
    }

    [Fact]
    public void Payload_above_the_maximum_is_refused_before_parsing()
    {
        var ex = Assert.Throws<SerializationException>(() => ControlPlane.FromBinary(new byte[(1024 * 1024) + 1], null));
        Assert.Contains("max-payload-bytes", ex.Message);
    }

    [Fact]
    public void Sending_anything_but_an_allow_listed_control_message_is_refused()
    {
        Assert.Throws<SerializationException>(() => ControlPlane.ToBinary(new UnlistedCommand("x")));
        Assert.Throws<SerializationException>(() => ControlPlane.ToBinary(new NotAControlMessage("x")));
    }

    [Fact]
    public void Types_registered_in_code_through_the_setup_are_allowed()
    {
        var setup = BootstrapSetup.Create().WithConfig(ReferenceConfig.Load())
            .And(new ControlPlaneSetup([typeof(UnlistedCommand)]));
        var system = ActorSystem.Create("setup", setup);
        try
        {
            var serializer = (ControlPlaneSerializer)system.Serialization.FindSerializerForType(typeof(UnlistedCommand));
            var command = new UnlistedCommand("allowed now");
            Assert.Equal(command, serializer.FromBinary(serializer.ToBinary(command), null));
        }
        finally
        {
            Shutdown(system);
        }
    }

    [Fact]
    public void Unknown_type_name_in_configuration_is_a_configuration_error_naming_the_key()
    {
        var ex = Assert.Throws<ConfigurationException>(() => new ControlPlaneSerializer((ExtendedActorSystem)Sys,
            ConfigurationFactory.ParseString("allowed-types = [\"No.Such.Type, NoSuchAssembly\"]")));
        Assert.Contains("akka.actor.serialization-settings.control-plane.allowed-types", ex.Message);
        Assert.Contains("No.Such.Type, NoSuchAssembly", ex.Message);
    }
}
