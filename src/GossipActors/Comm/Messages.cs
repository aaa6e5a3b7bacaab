using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Comm;

// ---- to the comm actor ----
// Messages between a peer's own actors never leave its process (only comm talks to other nodes, in SignedEnvelope):
// those marked INoSerializationVerificationNeeded are exempt from akka.actor.serialize-messages.

/// <summary>Send to a peer whose endpoint comm has learned (from its alive message or <see cref="LearnEndpoint"/>).</summary>
public sealed record SendTo(PkiId Peer, SignedEnvelope Envelope) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Send to an endpoint whose peer may not be known yet (bootstrap, anchor peers, reconnects).</summary>
/// <param name="AwaitsResponse">For a membership request: its nonce. Comm then takes one membership response under
/// that nonce, from the peer at that endpoint; responses under any other nonce are unsolicited and dropped.</param>
public sealed record SendToEndpoint(string Endpoint, SignedEnvelope Envelope, ulong? AwaitsResponse = null)
    : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Where a peer can be reached (overrides what comm learned from alive messages).</summary>
public sealed record LearnEndpoint(PkiId Peer, string Endpoint) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The peer was purged: forget its identity, endpoint and versions.</summary>
public sealed record ForgetPeer(PkiId Peer) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>The sender receives inbound messages of a channel, or (Channel = null) the membership kinds.</summary>
public sealed record Subscribe(string? Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// A channel asks comm to verify the signed state infos a peer relayed in a state info snapshot, each as if it had
/// come from its publisher (guard ladder: known identity, signature, freshness). The channel asks only after it
/// checked the snapshot answers its own pull. Reply to the sender: one <see cref="Inbound"/> per accepted state info
/// of <paramref name="Channel"/>, with <see cref="Inbound.RelayedBy"/> set; rejected ones are counted and logged.
/// </summary>
public sealed record VerifyRelayedStateInfo(string Channel, PeerIdentityInfo RelayedBy, IReadOnlyList<SignedEnvelope> Envelopes) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Fault injection (test seam): drop all traffic to and from a peer or endpoint until unblocked.</summary>
public sealed record BlockTraffic(PkiId? Peer = null, string? Endpoint = null) : Akka.Actor.INoSerializationVerificationNeeded;

public sealed record UnblockTraffic(PkiId? Peer = null, string? Endpoint = null) : Akka.Actor.INoSerializationVerificationNeeded;

public sealed record GetCommStats : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly GetCommStats Instance = new();
}

public sealed record CommStats(
    IReadOnlyDictionary<Rejection, long> Rejections,
    long Received,
    long Sent,
    long Duplicates,
    long QueueOverflowDrops,
    long FaultFilterDrops,
    int KnownIdentities,
    CommSizes Sizes) : Akka.Actor.INoSerializationVerificationNeeded
{
    /// <summary>Alive, state info or leadership messages older than one already accepted (relayed old news): dropped
    /// quietly, not counted as rejections.</summary>
    public long StaleDropped { get; init; }

    public long Rejected(Rejection reason) => Rejections.GetValueOrDefault(reason);
}

/// <summary>
/// The sizes of comm's structures that remote input can make grow, with their bounds: a hostile peer can fill each to
/// its bound and no further.
/// </summary>
public sealed record CommSizes(
    int InboundQueued, long InboundCapacity,
    int Sessions, int SessionCapacity,
    int Links, int LinkCapacity,
    int PendingHandshakes, int HandshakeRequestsRemembered,
    int OutstandingRequests,
    int Identities, int FreshnessEntries, int Endpoints);

// ---- from the comm actor ----

/// <summary>An inbound message that passed the guard ladder. <paramref name="Sender"/> is who signed or sent it.</summary>
/// <param name="ConnectionEndpoint">The endpoint we dialled to reach the connection it came on, if we dialled it.</param>
/// <param name="Relayed">The alive messages a membership request or response carries, each verified by comm (a request
/// carries the requester's own; a response only those that passed the guard).</param>
/// <param name="RelayedIdentities">The peer identity messages a membership response carries, verified by comm (which
/// learned them before checking the response's alive messages).</param>
/// <param name="RelayedBy">For a signed statement about a peer (state info) that another peer forwarded or relayed in a
/// snapshot: the peer it came from; null when it came straight from its signer.</param>
public sealed record Inbound(PeerIdentityInfo Sender, GossipMessage Message, SignedEnvelope Envelope, string? InternalEndpoint,
    string? ConnectionEndpoint = null, IReadOnlyList<VerifiedAlive>? Relayed = null, PkiId? RelayedBy = null,
    IReadOnlyList<SignedEnvelope>? RelayedIdentities = null) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>An alive message that passed the guard ladder, with its signer and the internal endpoint (same org only).</summary>
public sealed record VerifiedAlive(PeerIdentityInfo Sender, AliveMessage Alive, SignedEnvelope Envelope, string? InternalEndpoint) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A send to the peer failed outright (its comm could not be resolved, or the association broke).</summary>
public sealed record PeerUnreachable(PkiId? Peer, string Endpoint, string Reason) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A peer of the same org appeared at a known endpoint with a new certificate: the old PKI-ID is gone.</summary>
public sealed record IdentityRenewed(PkiId Old, PkiId New) : Akka.Actor.INoSerializationVerificationNeeded;
