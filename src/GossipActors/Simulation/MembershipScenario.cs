using GossipActors.Discovery;

namespace GossipActors.Simulation;

/// <summary>The knobs of one membership simulation run. Same scenario and seed → same run, event for event.</summary>
public sealed record MembershipScenario
{
    public int Peers { get; init; } = 50;

    /// <summary>Peers are split into this many orgs (contiguous blocks); every peer has an external endpoint.</summary>
    public int Orgs { get; init; } = 1;

    public int Seed { get; init; } = 42;

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Each message's latency is Latency plus a uniform random extra in [0, LatencyJitter).</summary>
    public TimeSpan LatencyJitter { get; init; } = TimeSpan.FromMilliseconds(5);

    public double LossRate { get; init; }

    /// <summary>Peers start at uniformly random times within this window (first tick = start).</summary>
    public TimeSpan JoinWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many random peers (never bootstrap peers) crash at <see cref="CrashAt"/>.</summary>
    public int CrashCount { get; init; }

    public TimeSpan CrashAt { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, the network splits into two sides (the first PartitionFraction of each org vs the rest).</summary>
    public TimeSpan? PartitionAt { get; init; }

    public TimeSpan? HealAt { get; init; }

    public double PartitionFraction { get; init; } = 0.5;

    /// <summary>A send to a crashed peer fails after a round trip (connection refused) and the sender is told.</summary>
    public bool SendFailures { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(70);

    public MembershipSettings Settings { get; init; } = new();

    public MembershipScenario Validate()
    {
        Settings.Validate();
        Check(Peers >= 2, $"peers = {Peers} must be at least 2.");
        Check(Orgs >= 1 && Orgs <= Peers, $"orgs = {Orgs} must be between 1 and peers ({Peers}).");
        Check(LossRate is >= 0 and < 1, $"loss = {LossRate} must be in [0, 1).");
        Check(CrashCount >= 0 && CrashCount <= Peers - 2 * Orgs, $"crash = {CrashCount} must be between 0 and {Peers - 2 * Orgs} (bootstrap peers never crash).");
        Check(Latency >= TimeSpan.Zero && LatencyJitter >= TimeSpan.Zero, "latency and jitter must not be negative.");
        Check(PartitionFraction is > 0 and < 1, $"partition fraction = {PartitionFraction} must be in (0, 1).");
        Check(HealAt is null || (PartitionAt is { } p && HealAt > p), "heal time needs a partition time before it.");
        Check(Duration > TimeSpan.Zero, $"duration = {Duration} must be positive.");
        return this;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
