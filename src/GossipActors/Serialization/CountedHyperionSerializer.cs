using Akka.Actor;
using Akka.Serialization;
using GossipActors.Boundary;
using Hyperion.Internal;

namespace GossipActors.Serialization;

/// <summary>
/// The package's <see cref="HyperionSerializer"/> (the org's control plane), unchanged, with its refusals counted in
/// the system's <see cref="BoundaryRefusals"/>: a type outside the allow-list or an unsafe type as
/// <see cref="FrameRefusal.DisallowedType"/>, anything else it cannot read as <see cref="FrameRefusal.Malformed"/>.
/// The exception still reaches Akka.Remote, which logs and drops the frame.
/// </summary>
public sealed class CountedHyperionSerializer(ExtendedActorSystem system, HyperionSerializerSettings settings) : HyperionSerializer(system, settings)
{
    public override object FromBinary(byte[] bytes, Type type)
    {
        try
        {
            return base.FromBinary(bytes, type);
        }
        catch (Exception ex)
        {
            BoundaryRefusals.For(system).FrameRefused(ControlPlane.SerializerName,
                ex.GetBaseException() is EvilDeserializationException or UserEvilDeserializationException ? FrameRefusal.DisallowedType : FrameRefusal.Malformed);
            throw;
        }
    }
}
