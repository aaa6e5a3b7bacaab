using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>
/// The org's leadership on a channel changed, as this peer sees it: sent to the channel actor by its election actor
/// (dynamic election) or once at start from the static orgLeader setting. The channel actor passes it to its delivery
/// actor, which connects to the ordering service only while <paramref name="IsLeader"/> is true.
/// </summary>
/// <param name="Leader">The org's leader on this channel, or null when none is known.</param>
public sealed record LeadershipChanged(string Channel, bool IsLeader, PkiId? Leader) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// Sent by the delivery actor to its channel actor when it has been unable to reach the ordering service for
/// peer.deliveryclient.reconnectTotalTimeThreshold; a dynamic leader then yields its leadership.
/// </summary>
public sealed record OrdererUnreachable(string Channel, TimeSpan For) : Akka.Actor.INoSerializationVerificationNeeded;
