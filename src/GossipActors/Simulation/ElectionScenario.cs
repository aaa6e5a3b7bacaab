using GossipActors.Election;

namespace GossipActors.Simulation;

/// <summary>
/// One seeded schedule of faults for <see cref="ElectionSimulation"/>: orgs of peers start together, then a random
/// sequence of partitions, heals, crashes (the leader half of the time) and restarts; at its end the network heals and
/// every crashed peer restarts. Views follow connectivity after <see cref="ViewLag"/> (membership's detection), and
/// with fast failover the cluster's hint about an unreachable peer comes after <see cref="HintDelay"/>.
/// </summary>
public sealed record ElectionScenario
{
    public int Seed { get; init; } = 1;
    public int Orgs { get; init; } = 1;
    public int PeersPerOrg { get; init; } = 10;
    public ElectionCoreSettings Settings { get; init; } = new();

    /// <summary>One-way latency of every message, plus uniform jitter in [0, <see cref="LatencyJitter"/>).</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(5);
    public TimeSpan LatencyJitter { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Probability that any one leadership message is lost.</summary>
    public double LossRate { get; init; }

    /// <summary>How long after a change of connectivity the peers' views of the org's channel peers follow it.</summary>
    public TimeSpan ViewLag { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after a change of connectivity the cluster's unreachable hint arrives (fast failover).</summary>
    public TimeSpan HintDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Fault events in a schedule: a random number in [min, max].</summary>
    public int MinEvents { get; init; } = 3;
    public int MaxEvents { get; init; } = 8;

    /// <summary>Gap between two fault events: uniform in [min, max].</summary>
    public TimeSpan MinGap { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// The bound of both checks: after the final heal, exactly one leader per org within it; and no connected side
    /// of an org (after start-up) without a leader for longer. Default <see cref="DefaultBound"/>.
    /// </summary>
    public TimeSpan? Bound { get; init; }

    /// <summary>
    /// leaderAliveThreshold (to notice a silent leader) + leaderElectionDuration (to elect) + the view lag (to stop
    /// counting a proposer that is gone), twice: a proposer that wins a round may vanish before it declares, and the
    /// peers that gave up for it then wait one more threshold and elect again.
    /// </summary>
    public TimeSpan DefaultBound => (Settings.LeaderAliveThreshold + Settings.LeaderElectionDuration + ViewLag) * 2;

    public TimeSpan EffectiveBound => Bound ?? DefaultBound;

    /// <summary>Faults start after start-up: the grace period, an election, and a margin.</summary>
    public TimeSpan WarmUp => Settings.StartupGracePeriod + Settings.LeaderElectionDuration + TimeSpan.FromSeconds(5);

    public ElectionScenario Validate()
    {
        if (Orgs < 1 || PeersPerOrg < 1)
        {
            throw new ArgumentException($"orgs ({Orgs}) and peers per org ({PeersPerOrg}) must be >= 1");
        }
        if (LossRate is < 0 or >= 1)
        {
            throw new ArgumentException($"loss rate {LossRate} must be in [0, 1)");
        }
        if (MinEvents < 0 || MaxEvents < MinEvents || MinGap < TimeSpan.Zero || MaxGap < MinGap)
        {
            throw new ArgumentException("events and gaps: need 0 <= min <= max");
        }
        return this;
    }
}
