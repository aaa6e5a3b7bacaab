namespace GossipActors.Serialization;

/// <summary>
/// Marker for the node's own C# control-plane records (operator and test-harness commands and queries).
/// Bound to Akka.Serialization.Hyperion in the org system only (<see cref="ControlPlane"/>); a type must also be on
/// the control-plane allow-list to cross the wire. Never implement it on gossip traffic between organisations: that is
/// protobuf, and a boundary system refuses Hyperion's serializer id.
/// </summary>
public interface IControlMessage;
