using GossipActors.Crypto;

namespace GossipActors.Election;

/// <summary>Channel → election: the org's peers in the channel view now (ourselves excluded), on every change.</summary>
public sealed record ElectionPeers(IReadOnlyList<PkiId> Peers) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Election → channel (at every start of the election actor): send me the current <see cref="ElectionPeers"/>.</summary>
public sealed record RequestElectionPeers : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly RequestElectionPeers Instance = new();
}

/// <summary>
/// Cluster hints → peer → every channel: the org's Akka.Cluster marked the node at this gossip endpoint unreachable
/// or removed it. A hint, not a verdict: with fast failover, a follower whose leader is there elects at once.
/// </summary>
public sealed record EndpointSuspected(string Endpoint) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Channel → election: the peer at a suspected endpoint (resolved by the channel from the alive view).</summary>
public sealed record PeerSuspected(PkiId Peer) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Reply: <see cref="ElectionStatus"/>.</summary>
public sealed record GetElectionStatus : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly GetElectionStatus Instance = new();
}

/// <param name="Phase">Null for static leadership (no election runs).</param>
public sealed record ElectionStatus(
    bool IsLeader,
    PkiId? Leader,
    ElectionPhase? Phase,
    long ElectionsStarted,
    long LeadershipChanges,
    IReadOnlyDictionary<ElectionRejection, long> Rejected) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Why an election actor refused a leadership message. Each is counted and logged with the sender.</summary>
public enum ElectionRejection
{
    /// <summary>The sender is of another org: leadership is an affair of the own org only.</summary>
    OtherOrg,

    /// <summary>The sender is not among the org's peers in our channel view (unknown, dead, or left).</summary>
    NotInView,

    /// <summary>The message is about a peer other than its signer, or has no timestamp.</summary>
    Malformed,

    /// <summary>This peer's leadership is static: it takes part in no election.</summary>
    StaticLeadership,
}
