namespace GossipActors.Election;

/// <summary>The timers and switches of one <see cref="LeaderElectionCore"/> (from peer.gossip.election.*).</summary>
public sealed record ElectionCoreSettings
{
    /// <summary>Longest wait at start for the view of the org's channel peers to stop changing.</summary>
    public TimeSpan StartupGracePeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the view is sampled during the startup wait.</summary>
    public TimeSpan MembershipSampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>No declaration heard for this long: elect again. The leader declares every half of it.</summary>
    public TimeSpan LeaderAliveThreshold { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a proposer collects other proposals before it declares itself.</summary>
    public TimeSpan LeaderElectionDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Ours: losing the leader (cluster hint, or it leaves the view) starts an election at once.</summary>
    public bool FastFailover { get; init; } = true;

    /// <summary>
    /// How long a leader that yielded (ordering service unreachable) sits out elections unless another leader appears
    /// first. Fabric: six times leaderAliveThreshold; so is ours.
    /// </summary>
    public TimeSpan YieldBound => LeaderAliveThreshold * 6;

    /// <summary>The leader's period between two declarations.</summary>
    public TimeSpan DeclarationInterval => LeaderAliveThreshold / 2;

    /// <summary>
    /// The shortest gap between two declarations of a leader: a leader answers a proposal, or a rival leader's
    /// declaration, with an early declaration, but not more often than this (a peer spamming proposals cannot make
    /// it broadcast more). A quarter of the election duration, so a proposer hears the answer before it decides.
    /// </summary>
    public TimeSpan MinDeclarationGap => LeaderElectionDuration / 4;
}
