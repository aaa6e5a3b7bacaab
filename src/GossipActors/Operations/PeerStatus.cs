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
/// <param name="LastBlockLatencyMs">Commit time minus the orderer's cut time of the last block this peer committed since it started, or null.</param>
public sealed record ChannelSummary(string Name, bool Left, ulong Height, string LastBlockHash, IReadOnlyDictionary<string, ulong> Peers,
    long BadBlocks, long FullCopiesReceived, bool IsLeader, string? Leader, long? LastBlockLatencyMs = null);

/// <summary>The JSON document served at /blocks?channel=NAME: the channel's last committed blocks (at most 1,024), oldest first.</summary>
public sealed record RecentBlocksStatus(string Channel, IReadOnlyList<BlockTimes> Blocks);

/// <param name="CutUnixMs">When the orderer cut the block (its clock, Unix ms; 0 = unknown).</param>
/// <param name="CommittedUnixMs">When this peer committed it (its clock, Unix ms).</param>
public sealed record BlockTimes(ulong Number, ulong CutUnixMs, ulong CommittedUnixMs);
