namespace GossipActors.Serialization;

/// <summary>
/// Marker for the node's own C# control-plane records (operator and test-harness commands and queries).
/// Bound to <see cref="ControlPlaneSerializer"/> in reference.conf; a type must also be on the control-plane
/// allow-list to cross the wire. Never implement it on gossip traffic between organisations: that is protobuf.
/// </summary>
public interface IControlMessage;
