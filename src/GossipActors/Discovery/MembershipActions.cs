using GossipActors.Crypto;

namespace GossipActors.Discovery;

/// <summary>
/// Where the shell sends something: an endpoint, and the peer when it is known (bootstrap and anchor endpoints may not be
/// known yet). When <see cref="CrossOrg"/> is true the shell must strip the secret (internal endpoint) from every
/// envelope it sends there.
/// </summary>
public sealed record Destination(string Endpoint, PkiId? Peer, bool CrossOrg)
{
    public override string ToString() => Peer is { } id ? $"{id}@{Endpoint}" : Endpoint;
}

/// <summary>What the membership core asks its shell to do, or tells it happened.</summary>
public abstract record MembershipAction;

/// <summary>Send these alive messages (each record's <see cref="AliveRecord.Envelope"/>, as received) to one peer.</summary>
public sealed record SendAlives(Destination To, IReadOnlyList<AliveRecord> Alives) : MembershipAction;

/// <summary>Send a membership request carrying our own signed alive (<paramref name="Self"/>.Envelope).</summary>
public sealed record SendMembershipRequest(Destination To, AliveRecord Self) : MembershipAction;

/// <summary>Answer a membership request: the view the requester's org may see (never another org's internal endpoints).</summary>
public sealed record SendMembershipResponse(Destination To, IReadOnlyList<AliveRecord> Alive, IReadOnlyList<AliveRecord> Dead)
    : MembershipAction;

/// <summary>A peer joined the alive view: first heard of (<paramref name="Resurrected"/> false) or back from the dead.</summary>
public sealed record PeerBecameAlive(AliveRecord Peer, bool Resurrected) : MembershipAction;

public enum DeathCause
{
    /// <summary>Unheard for aliveExpirationTimeout.</summary>
    Expired,

    /// <summary>The comm layer could not send to it.</summary>
    SendFailed,
}

public sealed record PeerBecameDead(AliveRecord Peer, DeathCause Cause) : MembershipAction;

public enum PurgeCause
{
    /// <summary>Dead for aliveExpirationTimeout × msgExpirationFactor.</summary>
    Expired,

    /// <summary>Its certificate's validity ended.</summary>
    CertificateExpired,

    /// <summary>The same peer (same org, same endpoint) came back with a new certificate, hence a new PKI-ID.</summary>
    CertificateRenewed,
}

/// <summary>The peer left the view entirely (alive or dead); the shell may down it in the org's cluster. Told in process
/// only (membership to the peer actor to the org system's cluster hints).</summary>
public sealed record PeerPurged(AliveRecord Peer, PurgeCause Cause) : MembershipAction, Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// A bootstrap or anchor endpoint was contacted MaxConnectionAttempts times without ever being heard from: it is not
/// contacted again (this is the last attempt) unless a probe hint names it.
/// </summary>
public sealed record GaveUpConnecting(string Endpoint, int Attempts) : MembershipAction;
