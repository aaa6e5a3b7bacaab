namespace GossipActors.Operations;

/// <summary>The JSON document served at /status.</summary>
public sealed record PeerStatus(
    string Id,
    string MspId,
    string PkiId,
    string Endpoint,
    string ExternalEndpoint,
    ulong Incarnation,
    IReadOnlyList<MemberStatus> Alive,
    IReadOnlyList<MemberStatus> Dead,
    IReadOnlyList<ChannelSummary> Channels);

public sealed record MemberStatus(string PkiId, string Org, string Endpoint, ulong Incarnation, ulong Sequence);

/// <param name="Peers">Channel peers (alive, of member orgs, not left) with the heights they last reported.</param>
/// <param name="IsLeader">True while this peer is its org's leader on the channel.</param>
/// <param name="Leader">The org's leader on the channel (PKI-ID, lower-case hex) as this peer sees it, or null.</param>
public sealed record ChannelSummary(string Name, bool Left, ulong Height, string LastBlockHash, IReadOnlyDictionary<string, ulong> Peers,
    long BadBlocks, long FullCopiesReceived, bool IsLeader, string? Leader);
