namespace GossipActors.Serialization;

/// <summary>Serializer identifiers on the wire. They never change once deployed; 0-100 are reserved by Akka.</summary>
public static class SerializerIds
{
    /// <summary><see cref="GossipWireSerializer"/>: protobuf wire messages.</summary>
    public const int GossipWire = 701;

    /// <summary><see cref="ControlPlaneSerializer"/>: allow-listed Hyperion control-plane records.</summary>
    public const int ControlPlane = 702;
}
