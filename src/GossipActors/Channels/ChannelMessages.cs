using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

// ---- to a channel (through the peer actor, which routes by Channel) ----

/// <summary>
/// A block this peer brings into its channel (what a leader's delivery from the ordering service sends). It is
/// verified (orderer signature, channel, chain) before it is committed or pushed. Reply: <see cref="InjectBlockResult"/>.
/// </summary>
public sealed record InjectBlock(
    string Channel,
    Block Block) : Akka.Actor.INoSerializationVerificationNeeded;

/// <param name="Accepted">True if the block was taken (committed, or buffered until the gap before it fills).</param>
public sealed record InjectBlockResult(string Channel, ulong Number, bool Accepted, string Detail) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Leave the channel: announce it (signed state info with left_channel), stop serving. Reply: <see cref="ChannelLeft"/>.</summary>
public sealed record LeaveChannel(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

public sealed record ChannelLeft(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// Published on the actor system's event stream each time a peer commits a block to its ledger (in order), for
/// operators' subscribers and for measuring dissemination latency.
/// </summary>
public sealed record BlockCommitted(string Channel, ulong Number, Crypto.PkiId Peer) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Reply: <see cref="ChannelStatus"/>.</summary>
public sealed record GetChannelStatus(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The channel's last committed blocks with cut and commit times (at most 1,024). Reply: <see cref="RecentBlocks"/>.</summary>
public sealed record GetRecentBlocks(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <param name="Blocks">Oldest first.</param>
public sealed record RecentBlocks(string Channel, IReadOnlyList<CommittedBlockTime> Blocks) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The peer actor's reply to a channel message for a channel this peer has not joined.</summary>
public sealed record UnknownChannel(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A channel at one peer: its ledger, its view of the channel's peers, and what it refused.</summary>
/// <param name="LastBlockHash">Header hash of block Height-1, lower-case hex; "" at height 0.</param>
/// <param name="Peers">The channel view: peers that published state info for the channel, alive, of member orgs,
/// not left, with their reported heights (not us).</param>
/// <param name="IsLeader">True while this peer is its org's leader on the channel (it delivers from the orderer).</param>
/// <param name="Leader">The org's leader on the channel as this peer sees it, or null when none is known.</param>
public sealed record ChannelStatus(
    string Channel,
    bool Left,
    ulong Height,
    string LastBlockHash,
    IReadOnlyList<ChannelPeer> Peers,
    ChannelCountersSnapshot Counters,
    bool IsLeader = false,
    Crypto.PkiId? Leader = null) : Akka.Actor.INoSerializationVerificationNeeded
{
    /// <summary>Commit time minus the orderer's cut time of the last block committed since this peer started, or null.</summary>
    public long? LastBlockLatencyMs { get; init; }

    /// <summary>Blocks received from the ordering service (this peer's delivery), taken or not.</summary>
    public long OrdererBlocksReceived { get; init; }
}

/// <summary>Published on the event stream whenever a peer's leadership on a channel changes (for observers and tests).</summary>
public sealed record LeadershipObserved(Crypto.PkiId Peer, LeadershipChanged Change) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Why a channel refused a message from a peer. Each is counted and logged with the sender; nothing is answered.</summary>
public enum ChannelRejection
{
    /// <summary>The sender's org is not a member of the channel.</summary>
    NonMemberOrg,

    /// <summary>The sender is of a member org but not in our channel view (not alive, no state info, or it left).</summary>
    NotChannelPeer,

    /// <summary>A block message (push, digest, pull) from a peer of another org: blocks stay within each org.</summary>
    NotOwnOrg,

    /// <summary>A state info snapshot that answers no pull of ours (unknown nonce, or from another peer).</summary>
    UnsolicitedSnapshot,

    /// <summary>We left the channel: nothing is served any more.</summary>
    ChannelLeft,

    /// <summary>A state info about someone other than its signer, or a kind a channel does not handle.</summary>
    Malformed,

    /// <summary>A <see cref="Delivery.VerifiedBlock"/> from anyone but the channel's own delivery child.</summary>
    NotFromDelivery,
}

public sealed record ChannelCountersSnapshot(
    IReadOnlyDictionary<ChannelRejection, long> Rejected,
    IReadOnlyDictionary<string, long> BadBlocksByReason,
    long FullCopiesReceived,
    long DigestsReceived,
    long StateInfosAccepted,
    long ChainRejections,
    long DuplicateBlocks,
    StateTransferCountersSnapshot? StateTransfer = null)
{
    /// <summary>State info messages this peer sent (own, forwarded, pull requests, snapshots), and their bytes.</summary>
    public long StateInfoMessagesSent { get; init; }
    public long StateInfoBytesSent { get; init; }

    /// <summary>Pull hellos this peer answered with a digest, and blocks it sent on request (push answers, pull).</summary>
    public long HellosAnswered { get; init; }
    public long BlocksServed { get; init; }

    /// <summary>Digests ignored because they name a block far beyond any known height, and pull-digest entries beyond the bound.</summary>
    public long DigestsBeyondHeight { get; init; }
    public long PullOffersBeyondBound { get; init; }

    /// <summary>Pull digests and responses under a nonce we did not issue (checked before any block is verified).</summary>
    public long UnknownNonce { get; init; }

    public long RejectedFor(ChannelRejection reason) => Rejected.GetValueOrDefault(reason);

    /// <summary>Blocks dropped because they failed verification (orderer signature, channel, number), all reasons.</summary>
    public long BadBlocks => BadBlocksByReason.Values.Sum();
}

/// <summary>State transfer at one peer: as requester (requests, failures, bad senders) and as responder.</summary>
/// <param name="BadResponses">Responses with a forged, out-of-range or out-of-chain block (sender excluded for the round).</param>
/// <param name="BlocksReceived">Blocks that came by state transfer and were new to us.</param>
public sealed record StateTransferCountersSnapshot(
    long Requests,
    long Retries,
    long Timeouts,
    long EmptyResponses,
    long BadResponses,
    long Unsolicited,
    long GaveUp,
    long BlocksReceived,
    long BlocksServed,
    long RequestsRefused);
