namespace GossipActors.Discovery;

/// <summary>What a peer's membership actor is started with.</summary>
/// <param name="ExternalEndpoint">peer.gossip.externalEndpoint: what other orgs may use; empty = invisible to them.</param>
/// <param name="InternalEndpoint">peer.gossip.endpoint: what the peer's own org uses.</param>
/// <param name="Incarnation">Changes on every start (Fabric uses the start time), so restarts replace old records.</param>
public sealed record MembershipOptions(
    MembershipSettings Settings,
    string ExternalEndpoint,
    string InternalEndpoint,
    ulong Incarnation,
    IReadOnlyList<string> Bootstrap,
    IReadOnlyList<AnchorPeer> Anchors);
