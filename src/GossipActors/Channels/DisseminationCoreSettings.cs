namespace GossipActors.Channels;

/// <summary>How a new block is pushed through a channel.</summary>
public enum DisseminationMode
{
    /// <summary>Push the full block for a few hops (push TTL), then only digests (digest TTL); peers fetch on demand.</summary>
    Enhanced,

    /// <summary>Fabric's infect-and-die push to propagatePeerNum random peers, burst-batched; no digests.</summary>
    Fabric,
}

/// <summary>
/// Settings of the dissemination cores of one channel. Fabric's keys keep Fabric's core.yaml defaults
/// (peer.gossip.*); the enhanced-mode keys are ours, tuned on the simulator (docs/dissemination.md).
/// </summary>
public sealed record DisseminationCoreSettings
{
    /// <summary>The largest TTL a peer honours; larger TTLs from the wire are clamped (no amplification).</summary>
    public const int MaxTtl = 63;

    public DisseminationMode Mode { get; init; } = DisseminationMode.Enhanced;

    // ---- enhanced mode (ours) ----

    /// <summary>Full-block fan-out in enhanced mode; digests use the same fan-out.</summary>
    public int PushPeerNum { get; init; } = 3;

    /// <summary>Hops a full block is forwarded after the source's own send.</summary>
    public int PushTtl { get; init; } = 1;

    /// <summary>Hops of digests after the full-block hops end.</summary>
    public int DigestTtl { get; init; } = 5;

    /// <summary>Digest fan-out in enhanced mode (digests are ~20 bytes: a wider fan-out buys coverage cheaply).</summary>
    public int DigestPeerNum { get; init; } = 6;

    // ---- Fabric push (peer.gossip.*) ----

    public int PropagatePeerNum { get; init; } = 3;
    public int PropagateIterations { get; init; } = 1;
    public int MaxPropagationBurstSize { get; init; } = 10;
    public TimeSpan MaxPropagationBurstLatency { get; init; } = TimeSpan.FromMilliseconds(10);

    // ---- pull (peer.gossip.*) ----

    public TimeSpan PullInterval { get; init; } = TimeSpan.FromSeconds(4);
    public int PullPeerNum { get; init; } = 3;
    public TimeSpan DigestWaitTime { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RequestWaitTime { get; init; } = TimeSpan.FromMilliseconds(1500);
    public TimeSpan ResponseWaitTime { get; init; } = TimeSpan.FromSeconds(2);

    // ---- store (peer.gossip.maxBlockCountToStore; expiry as Fabric: 100 x pullInterval) ----

    public int MaxBlockCountToStore { get; init; } = 10;

    /// <summary>How long a block stays in the in-memory store at most; Fabric uses pullInterval x 100.</summary>
    public TimeSpan BlockExpiration { get; init; } = TimeSpan.FromSeconds(400);

    /// <summary>Problems with these settings, each naming the setting, the value and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Positive(string name, int value)
        {
            if (value < 1)
            {
                problems.Add($"{name} = {value}: must be at least 1.");
            }
        }
        void Ttl(string name, int value)
        {
            if (value is < 0 or > MaxTtl)
            {
                problems.Add($"{name} = {value}: must be between 0 and {MaxTtl}.");
            }
        }
        void Duration(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add($"{name} = {value}: must be a positive duration.");
            }
        }
        Positive(nameof(PushPeerNum), PushPeerNum);
        Positive(nameof(DigestPeerNum), DigestPeerNum);
        Ttl(nameof(PushTtl), PushTtl);
        Ttl(nameof(DigestTtl), DigestTtl);
        Positive(nameof(PropagatePeerNum), PropagatePeerNum);
        Positive(nameof(PropagateIterations), PropagateIterations);
        Positive(nameof(MaxPropagationBurstSize), MaxPropagationBurstSize);
        Duration(nameof(MaxPropagationBurstLatency), MaxPropagationBurstLatency);
        Duration(nameof(PullInterval), PullInterval);
        Positive(nameof(PullPeerNum), PullPeerNum);
        Duration(nameof(DigestWaitTime), DigestWaitTime);
        Duration(nameof(RequestWaitTime), RequestWaitTime);
        Duration(nameof(ResponseWaitTime), ResponseWaitTime);
        Positive(nameof(MaxBlockCountToStore), MaxBlockCountToStore);
        Duration(nameof(BlockExpiration), BlockExpiration);
        return problems;
    }
}
