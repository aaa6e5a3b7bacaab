namespace GossipActors.Discovery;

/// <summary>What the core made of one alive message.</summary>
public enum AliveOutcome
{
    /// <summary>First heard of this peer: added to the alive view.</summary>
    New,

    /// <summary>A newer sequence of a known alive peer.</summary>
    Updated,

    /// <summary>A newer incarnation of a known peer (it restarted): replaces the old one.</summary>
    Restarted,

    /// <summary>A dead peer spoke again: moved back to the alive view.</summary>
    Resurrected,

    /// <summary>Newer than what we had of a dead peer, but second-hand (from another peer's view): recorded, peer stays dead.</summary>
    StillDead,

    /// <summary>Not newer than what we have (incarnation, sequence): ignored, not forwarded.</summary>
    Stale,

    /// <summary>About ourselves: ignored.</summary>
    Self,

    /// <summary>Another org's peer without an external endpoint: it must not be visible to us.</summary>
    NotVisible,

    /// <summary>The peer's certificate has expired.</summary>
    CertificateExpired,
}

/// <summary>The outcome of one alive message and the actions it caused (empty when none).</summary>
public readonly record struct AliveResult(AliveOutcome Outcome, IReadOnlyList<MembershipAction> Actions)
{
    public bool Accepted => Outcome is AliveOutcome.New or AliveOutcome.Updated or AliveOutcome.Restarted
        or AliveOutcome.Resurrected;
}

/// <summary>What the core made of a membership request.</summary>
public enum RequestOutcome
{
    Answered,

    /// <summary>The embedded alive message is not the sender's own: not answered.</summary>
    NotSendersOwnAlive,

    /// <summary>The requester is not visible to us (another org, no external endpoint) or its certificate expired.</summary>
    RequesterRejected,
}

public readonly record struct RequestResult(RequestOutcome Outcome, AliveOutcome RequesterAlive, IReadOnlyList<MembershipAction> Actions);
