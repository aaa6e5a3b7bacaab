using GossipActors.Channels;

namespace GossipActors.Simulation;

/// <summary>One dissemination experiment: N peers of one channel, a converged membership, blocks at a steady rate.</summary>
public sealed record DisseminationSimulationOptions
{
    public int Peers { get; init; } = 100;
    public int Blocks { get; init; } = 300;

    /// <summary>One-way latency of every link (d, the unit of the hop-delay figures).</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(10);

    public DisseminationMode Mode { get; init; } = DisseminationMode.Enhanced;
    public int Seed { get; init; } = 1;
    public double LossRate { get; init; }
    public int BlockBytes { get; init; } = 4096;

    /// <summary>Time between two injected blocks.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>True: every block enters at peer 0 (a leader); false: at a random peer.</summary>
    public bool InjectAtLeader { get; init; }

    /// <summary>Store bound used by the simulator's peers: large enough that pull can still serve late blocks.</summary>
    public int MaxBlockCountToStore { get; init; } = 100;

    /// <summary>Core settings; null = the defaults, with <see cref="Mode"/> and <see cref="MaxBlockCountToStore"/>.</summary>
    public DisseminationCoreSettings? Settings { get; init; }

    /// <summary>If set, the peers are split in two halves (even/odd index) from Start until End.</summary>
    public (TimeSpan Start, TimeSpan End)? Partition { get; init; }

    /// <summary>How long to keep running after the last injection for stragglers (pull) to catch up.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);

    public DisseminationCoreSettings EffectiveSettings =>
        (Settings ?? new DisseminationCoreSettings()) with { Mode = Mode, MaxBlockCountToStore = MaxBlockCountToStore };
}
