using GossipActors.Channels;
using GossipActors.Ledger;
using ReferenceConfig = GossipActors.Configuration.ReferenceConfig;

namespace GossipActors.Simulation;

/// <summary>
/// One dissemination experiment: N peers of one channel in one or more orgs, blocks at a steady rate delivered by the
/// ordering service to each org's leader, state info through the channel membership core, CPU and bytes per message.
/// </summary>
public sealed record DisseminationSimulationOptions
{
    public int Peers { get; init; } = 100;
    public int Blocks { get; init; } = 300;

    /// <summary>Organisations of the channel; the peers are split evenly (contiguous indices). Blocks travel only
    /// within an org; each org's leader (its first peer) gets every block from the ordering service.</summary>
    public int Orgs { get; init; } = 1;

    /// <summary>Base one-way latency of every link.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Mean of the exponential delay added to each message on top of <see cref="Latency"/>; zero = constant.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The unit of the hop-delay figures: the mean one-way link delay, <see cref="Latency"/> + <see cref="Jitter"/>.</summary>
    public TimeSpan HopDelay => Latency + Jitter;

    public DisseminationMode Mode { get; init; } = DisseminationMode.Enhanced;
    public int Seed { get; init; } = 1;
    public double LossRate { get; init; }
    public int BlockBytes { get; init; } = 4096;

    /// <summary>Time between two blocks from the ordering service.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>True: each block enters at each org's leader; false: at a random peer of each org.</summary>
    public bool InjectAtLeader { get; init; } = true;

    /// <summary>Store bound of the peers; null = peer.gossip.maxBlockCountToStore from reference.conf.</summary>
    public int? MaxBlockCountToStore { get; init; }

    /// <summary>CPU and bytes per message; <see cref="MessageCosts.Free"/> models links only.</summary>
    public MessageCosts Costs { get; init; } = new();

    /// <summary>Null: every peer has its own core. A number: all peers share that many cores.</summary>
    public int? SharedCores { get; init; }

    /// <summary>Core settings; null = the defaults, with <see cref="Mode"/> and the store size.</summary>
    public DisseminationCoreSettings? Settings { get; init; }

    /// <summary>State info publication, pull, retention and fan-out; null = reference.conf's defaults
    /// (publishStateInfoInterval, requestStateInfoInterval, stateInfoRetentionInterval, propagatePeerNum).</summary>
    public StateInfoSettings? StateInfo { get; init; }

    /// <summary>State transfer (peer.gossip.state.*: enabled, checkInterval, responseTimeout, batchSize, maxRetries,
    /// blockBufferSize as the window and the payload buffer); null = reference.conf's defaults, responses under
    /// peer.gossip.maxMessageSize.</summary>
    public StateTransferOptions? StateTransfer { get; init; }

    /// <summary>If set, the last peer is absent (unreachable, no timers) until block k leaves the orderer, then joins
    /// with an empty ledger and catches up by state transfer; the blocks before k are not counted in its time to 100 %.</summary>
    public int? LateJoinerAtBlock { get; init; }

    /// <summary>If set, membership's alive traffic (every peer's alive every interval, spread by infect-and-die with
    /// propagatePeerNum, each copy verified) loads the peers' CPU; null = not modelled.</summary>
    public TimeSpan? AliveInterval { get; init; }

    /// <summary>Time before the first block, for the channel's state info to spread.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>If set, the peers are split in two halves (even/odd index) from Start until End.</summary>
    public (TimeSpan Start, TimeSpan End)? Partition { get; init; }

    /// <summary>How long to keep running after the last injection for stragglers (pull) to catch up.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);

    public int StoreSize => MaxBlockCountToStore ?? ReferenceConfig.Load().GetInt("peer.gossip.maxBlockCountToStore");

    public string StoreSource => MaxBlockCountToStore is null ? "reference.conf" : "option";

    public StateInfoSettings EffectiveStateInfo => StateInfo ?? ReferenceStateInfo.Value;

    public StateTransferOptions EffectiveStateTransfer => StateTransfer ?? ReferenceStateTransfer.Value;

    private static readonly Lazy<StateTransferOptions> ReferenceStateTransfer = new(() =>
    {
        var config = ReferenceConfig.Load();
        return new StateTransferOptions(
            config.GetBoolean("peer.gossip.state.enabled"),
            config.GetTimeSpan("peer.gossip.state.checkInterval"),
            config.GetTimeSpan("peer.gossip.state.responseTimeout"),
            config.GetInt("peer.gossip.state.batchSize"),
            config.GetInt("peer.gossip.state.maxRetries"),
            config.GetInt("peer.gossip.state.blockBufferSize"),
            Math.Max(1, config.GetInt("peer.gossip.maxMessageSize") - StateTransferOptions.EnvelopeAllowance));
    });

    private static readonly Lazy<StateInfoSettings> ReferenceStateInfo = new(() =>
    {
        var config = ReferenceConfig.Load();
        var publish = config.GetTimeSpan("peer.gossip.publishStateInfoInterval");
        var retention = config.GetString("peer.gossip.stateInfoRetentionInterval") is { Length: > 0 }
            ? config.GetTimeSpan("peer.gossip.stateInfoRetentionInterval")
            : publish * 100;
        return new StateInfoSettings(publish, config.GetTimeSpan("peer.gossip.requestStateInfoInterval"), retention,
            config.GetInt("peer.gossip.propagatePeerNum"));
    });

    public DisseminationCoreSettings EffectiveSettings =>
        (Settings ?? new DisseminationCoreSettings()) with { Mode = Mode, MaxBlockCountToStore = StoreSize };

    /// <summary>Problems with these options, each naming the option, the value and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(EffectiveSettings.Validate());
        problems.AddRange(Costs.Validate());
        problems.AddRange(EffectiveStateInfo.Validate());
        if (Peers < 2)
        {
            problems.Add($"Peers = {Peers}: must be at least 2.");
        }
        if (Orgs < 1 || Orgs > Peers / 2)
        {
            problems.Add($"Orgs = {Orgs}: must be between 1 and Peers / 2 (two peers per org at least).");
        }
        if (Blocks < 1)
        {
            problems.Add($"Blocks = {Blocks}: must be at least 1.");
        }
        if (LossRate is < 0 or >= 1)
        {
            problems.Add($"LossRate = {LossRate}: must be in [0, 1).");
        }
        if (BlockBytes < 1)
        {
            problems.Add($"BlockBytes = {BlockBytes}: must be at least 1.");
        }
        if (SharedCores is < 1)
        {
            problems.Add($"SharedCores = {SharedCores}: must be at least 1 (or unset: a core per peer).");
        }
        if (LateJoinerAtBlock is { } late && (late < 1 || late >= Blocks))
        {
            problems.Add($"LateJoinerAtBlock = {late}: must be between 1 and Blocks - 1 ({Blocks - 1}).");
        }
        if (EffectiveStateTransfer is { BatchSize: < 1 } or { Window: < 1 } or { MaxRetries: < 0 })
        {
            problems.Add($"StateTransfer = {EffectiveStateTransfer}: batch size and window must be at least 1, retries zero or more.");
        }
        if (AliveInterval is { } alive && alive <= TimeSpan.Zero)
        {
            problems.Add($"AliveInterval = {alive}: must be positive (or unset: membership traffic not modelled).");
        }
        if (Latency <= TimeSpan.Zero || Jitter < TimeSpan.Zero)
        {
            problems.Add($"Latency = {Latency}, Jitter = {Jitter}: latency must be positive, jitter zero or more.");
        }
        return problems;
    }
}
