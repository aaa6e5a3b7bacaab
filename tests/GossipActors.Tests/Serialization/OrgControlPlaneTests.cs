using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Configuration;
using GossipActors.Hosting;
using GossipActors.Serialization;
using Hyperion.Internal;
using Xunit;

namespace GossipActors.Tests.Serialization;

/// <summary>The org system's control plane: Akka.Serialization.Hyperion from the package, behind its type filter.</summary>
public sealed class OrgControlPlaneTests : Akka.TestKit.Xunit2.TestKit
{
    public OrgControlPlaneTests() : base(OrgSetup([.. OrgStatusMessages.KnownTypes]))
    {
    }

    private static ActorSystemSetup OrgSetup(Type[] knownTypes)
    {
        var config = ConfigurationFactory.ParseString(ControlPlaneSpecConfig.Hocon)
            .WithFallback(ReferenceConfig.Load());
        return ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), ControlPlane.Setup(knownTypes, config));
    }

    private Serializer Control => Sys.Serialization.FindSerializerForType(typeof(IControlMessage));

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
    public void Control_messages_are_bound_to_the_Hyperion_package_serializer()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new PeerStatusQuery());

        Assert.IsAssignableFrom<HyperionSerializer>(serializer); // the package's serializer, its refusals counted
        Assert.IsType<CountedHyperionSerializer>(serializer);
        Assert.Equal(SerializerIds.Hyperion, serializer.Identifier);
    }

    [Fact]
    public void The_org_status_records_round_trip()
    {
        var report = new PeerStatusReport("peer0.org1", "Org1", "127.0.0.1:7051", "ab12", 3, 1);

        Assert.Equal(report, Control.FromBinary(Control.ToBinary(report), typeof(PeerStatusReport)));
        Assert.IsType<PeerStatusQuery>(Control.FromBinary(Control.ToBinary(new PeerStatusQuery()), typeof(PeerStatusQuery)));
    }

    [Fact]
    public void Types_listed_in_configuration_are_allowed_too()
    {
        var query = new StatusQuery("mychannel", 3);

        Assert.Equal(query, Control.FromBinary(Control.ToBinary(query), typeof(StatusQuery)));
    }

    [Fact]
    public void A_record_not_on_the_allow_list_is_refused_by_name_before_its_type_is_loaded()
    {
        var bytes = UnrestrictedHyperion(new UnlistedCommand("reboot"));

        var ex = Assert.ThrowsAny<Exception>(() => Control.FromBinary(bytes, null!));

        Assert.IsType<UserEvilDeserializationException>(ex.GetBaseException());
    }

    [Fact]
    public void A_type_from_an_assembly_that_does_not_exist_is_refused_without_any_load_attempt()
    {
        var bytes = UnrestrictedHyperion(new UnlistedCommand("reboot"));
        var text = Encoding.UTF8.GetBytes("GossipActors.Tests");
        var at = bytes.AsSpan().IndexOf(text);
        Assert.True(at >= 0);
        Encoding.UTF8.GetBytes("GossipActors.Zzzzz").CopyTo(bytes, at);

        Assert.IsType<UserEvilDeserializationException>(Assert.ThrowsAny<Exception>(() => Control.FromBinary(bytes, null!)).GetBaseException());
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "GossipActors.Zzzzz");
    }

    [Fact]
    public void An_unsafe_type_is_refused_even_when_allow_listed()
    {
        var bytes = UnrestrictedHyperion(new FileInfo("/etc/passwd"));

        Assert.IsType<EvilDeserializationException>(Assert.ThrowsAny<Exception>(() => Control.FromBinary(bytes, null!)).GetBaseException());
    }

    [Fact]
    public void Garbage_bytes_throw_and_do_not_crash_the_system()
    {
        var bytes = Control.ToBinary(new StatusQuery("mychannel", 3));

        Assert.ThrowsAny<Exception>(() => Control.FromBinary(bytes[..^6], null!));
        Assert.ThrowsAny<Exception>(() => Control.FromBinary([0xFF, 0xFF, 0xFF, 0x7F, 0x01], null!));
        Assert.False(Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void Refused_control_plane_frames_are_counted_by_reason_in_the_systems_boundary_refusals()
    {
        var unlisted = UnrestrictedHyperion(new UnlistedCommand("reboot"));
        var unsafeType = UnrestrictedHyperion(new FileInfo("/etc/passwd"));

        Assert.ThrowsAny<Exception>(() => Control.FromBinary(unlisted, null!));
        Assert.ThrowsAny<Exception>(() => Control.FromBinary(unsafeType, null!));
        Assert.ThrowsAny<Exception>(() => Control.FromBinary([0xFF, 0xFF, 0xFF, 0x7F, 0x01], null!));

        var refusals = GossipActors.Boundary.BoundaryRefusals.For(Sys);
        Assert.Equal(2, refusals.Frames(ControlPlane.SerializerName, GossipActors.Boundary.FrameRefusal.DisallowedType));
        Assert.Equal(1, refusals.Frames(ControlPlane.SerializerName, GossipActors.Boundary.FrameRefusal.Malformed));
    }

    [Fact]
    public void An_unknown_type_name_in_configuration_is_a_configuration_error_naming_the_key()
    {
        var config = ConfigurationFactory.ParseString($"{ControlPlane.AllowedTypesKey} = [\"No.Such.Type, NoSuchAssembly\"]");

        var ex = Assert.Throws<ConfigurationException>(() => ControlPlane.Setup([], config));

        Assert.Contains(ControlPlane.AllowedTypesKey, ex.Message);
        Assert.Contains("No.Such.Type, NoSuchAssembly", ex.Message);
    }
}
