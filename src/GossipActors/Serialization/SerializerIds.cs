namespace GossipActors.Serialization;

/// <summary>Serializer identifiers on the wire. They never change once deployed; 0-100 are reserved by Akka.</summary>
public static class SerializerIds
{
    /// <summary><see cref="GossipWireSerializer"/>: protobuf wire messages.</summary>
    public const int GossipWire = 701;

    /// <summary><see cref="UnboundTypeSerializer"/>: the System.Object fallback, which refuses (nothing is sent with it).</summary>
    public const int UnboundType = 702;

    /// <summary>Akka.Serialization.Hyperion (its own id): the org system's control-plane records, never in a boundary system.</summary>
    public const int Hyperion = -5;
}
