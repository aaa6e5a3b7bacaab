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

    /// <summary>The envelope names a session with a MAC that does not verify (tampered, or forged).</summary>
    BadMac,

    /// <summary>The envelope's session counter is not above the last one accepted: a replay.</summary>
    Replayed,

    /// <summary>An answer to a handshake we did not send (or no longer wait for).</summary>
    UnsolicitedHandshake,

    /// <summary>A membership response under a nonce we did not issue, or from another peer than we asked.</summary>
    UnsolicitedResponse,

    /// <summary>An alive message claims an endpoint that a handshake has bound to another identity.</summary>
    EndpointClaimed,

    /// <summary>The bounded inbound queue (peer.gossip.recvBuffSize per connection) was full: dropped unread.</summary>
    InboundOverflow,
}

/// <summary>The outcome of the guard ladder for one envelope.</summary>
public abstract record GuardVerdict
{
    private GuardVerdict() { }

    /// <summary>Every check passed; <paramref name="Sender"/> is the peer that signed it, or, for connection-level kinds,
    /// the peer whose session MAC authenticated it.</summary>
    public sealed record Accepted(PeerIdentityInfo Sender, Protocol.Wire.GossipMessage Message) : GuardVerdict;

    /// <summary>A repeat of something already accepted (normal in gossip): dropped quietly.</summary>
    public sealed record Duplicate(PeerIdentityInfo Sender) : GuardVerdict;

    /// <summary>Refused. <paramref name="Claimed"/> names who the message claimed to come from, when known.</summary>
    public sealed record Rejected(Rejection Reason, string Detail, string Claimed) : GuardVerdict;
}
