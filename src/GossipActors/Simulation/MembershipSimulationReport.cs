using System.Globalization;
using System.Text;

namespace GossipActors.Simulation;

/// <summary>The figures of one membership simulation run. All times are virtual, from the start of the run.</summary>
public sealed record MembershipSimulationReport
{
    public required MembershipScenario Scenario { get; init; }
    public required TimeSpan SimulatedTime { get; init; }

    /// <summary>First time every started live peer had every other live peer in its alive view (null: never).</summary>
    public TimeSpan? FullViewAt { get; init; }

    public TimeSpan? CrashedAt { get; init; }

    /// <summary>First time after the crash no live peer held any crashed peer alive.</summary>
    public TimeSpan? AllCrashedDeadAt { get; init; }

    /// <summary>When half of the (live peer, crashed peer) pairs held the crashed peer dead: the typical detection time.</summary>
    public TimeSpan? HalfCrashedDeadAt { get; init; }

    /// <summary>Crashed peers that some peer brought back to life after declaring them dead (must be 0).</summary>
    public long CrashedResurrections { get; init; }

    public TimeSpan? PartitionedAt { get; init; }

    /// <summary>First time after the partition every peer held every peer of the other side dead.</summary>
    public TimeSpan? PartitionDetectedAt { get; init; }

    public TimeSpan? HealedAt { get; init; }

    /// <summary>First time after healing every live peer had every live peer alive again.</summary>
    public TimeSpan? HealConvergedAt { get; init; }

    /// <summary>Dead declarations of a live peer the declarer could reach. Must be 0 without loss.</summary>
    public long FalseDead { get; init; }

    /// <summary>Internal endpoints of another org found in what a peer received (must be 0).</summary>
    public long InternalEndpointLeaks { get; init; }

    /// <summary>Records a receiver was told about against the disclosure policy (a third org's peer, for instance).</summary>
    public long DisclosureViolations { get; init; }

    public long MessagesSent { get; init; }
    public long MessagesDropped { get; init; }
    public long AliveBatchesSent { get; init; }
    public long AliveRecordsSent { get; init; }
    public long RequestsSent { get; init; }
    public long ResponsesSent { get; init; }
    public long ResponseRecordsSent { get; init; }

    /// <summary>Network messages (alive batches, requests, responses) per peer per simulated second.</summary>
    public double MessagesPerPeerPerSecond => PerPeerPerSecond(MessagesSent);

    /// <summary>Alive envelopes carried per peer per second (in batches and responses): what signature checks cost.</summary>
    public double EnvelopesPerPeerPerSecond => PerPeerPerSecond(AliveRecordsSent + ResponseRecordsSent);

    /// <summary>FNV-1a hash of every send and every view change: equal hashes mean identical runs.</summary>
    public required string TraceHash { get; init; }

    private double PerPeerPerSecond(long count) => count / (double)Scenario.Peers / SimulatedTime.TotalSeconds;

    public string Format()
    {
        var s = Scenario;
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"membership simulation: {s.Peers} peers, {s.Orgs} org(s), seed {s.Seed}, latency {Ms(s.Latency)}+{Ms(s.LatencyJitter)} jitter, loss {s.LossRate:P1}, {Ms(SimulatedTime)} simulated");
        text.AppendLine(c, $"  settings: alive {Ms(s.Settings.AliveInterval)}, expiration {Ms(s.Settings.AliveExpirationTimeout)}, fanout {s.Settings.PropagatePeerNum}, anti-entropy {(s.Settings.AntiEntropyInterval > TimeSpan.Zero ? Ms(s.Settings.AntiEntropyInterval) : "off")}, tick {Ms(s.Settings.TickInterval)}");
        text.AppendLine(c, $"  full view (every peer knows every live peer): {At(FullViewAt)}  (peers join within {Ms(s.JoinWindow)})");
        if (CrashedAt is { } crashed)
        {
            text.AppendLine(c, $"  {s.CrashCount} crashed at {Ms(crashed)}; half of the live peers' views hold them dead {Since(HalfCrashedDeadAt, crashed)} after the crash, all at {At(AllCrashedDeadAt)} ({Since(AllCrashedDeadAt, crashed)} after); resurrected: {CrashedResurrections}");
        }
        if (PartitionedAt is { } parted)
        {
            text.AppendLine(c, $"  partitioned at {Ms(parted)}; both sides hold the other dead at {At(PartitionDetectedAt)} ({Since(PartitionDetectedAt, parted)} after)");
        }
        if (HealedAt is { } healed)
        {
            text.AppendLine(c, $"  healed at {Ms(healed)}; full view again at {At(HealConvergedAt)} ({Since(HealConvergedAt, healed)} after)");
        }
        text.AppendLine(c, $"  false dead declarations: {FalseDead}; internal endpoint leaks: {InternalEndpointLeaks}; disclosure violations: {DisclosureViolations}");
        text.AppendLine(c, $"  messages per peer per second: {MessagesPerPeerPerSecond:F2} (alive batches {AliveBatchesSent}, requests {RequestsSent}, responses {ResponsesSent}; dropped {MessagesDropped})");
        text.AppendLine(c, $"  alive envelopes per peer per second: {EnvelopesPerPeerPerSecond:F1} (in batches {AliveRecordsSent}, in responses {ResponseRecordsSent})");
        text.Append(c, $"  trace hash: {TraceHash}");
        return text.ToString();
    }

    private static string Ms(TimeSpan t) =>
        t.TotalMilliseconds % 1000 == 0 ? $"{t.TotalSeconds:0}s" : $"{t.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture)}ms";

    private static string At(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s" : "never";

    private static string Since(TimeSpan? t, TimeSpan from) =>
        t is { } v ? $"{(v - from).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)}s" : "n/a";
}
