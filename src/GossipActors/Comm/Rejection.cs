namespace GossipActors.Comm;

/// <summary>Why the guard ladder refused an inbound message. Each is counted and logged with the sender.</summary>
public enum Rejection
{
    None = 0,
    Oversize,
    Malformed,
    NoHandshake,
    UnknownIdentity,
    BadCertificate,
    PkiIdMismatch,
    OrgMismatch,
    BadSignature,
    Stale,
    BadHandshakeBinding,
    AuthenticationFailure,
    SpoofedMembershipRequest,
    UnknownChannel,
}

/// <summary>The outcome of the guard ladder for one envelope.</summary>
public abstract record GuardVerdict
{
    private GuardVerdict() { }

    /// <summary>Every check passed; <paramref name="Sender"/> is the peer that signed (or, for unsigned kinds, sent) it.</summary>
    public sealed record Accepted(PeerIdentityInfo Sender, Protocol.Wire.GossipMessage Message) : GuardVerdict;

    /// <summary>A repeat of something already accepted (normal in gossip): dropped quietly.</summary>
    public sealed record Duplicate(PeerIdentityInfo Sender) : GuardVerdict;

    /// <summary>Refused. <paramref name="Claimed"/> names who the message claimed to come from, when known.</summary>
    public sealed record Rejected(Rejection Reason, string Detail, string Claimed) : GuardVerdict;
}
