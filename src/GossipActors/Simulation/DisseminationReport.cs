using System.Globalization;
using System.Text;
using GossipActors.Channels;

namespace GossipActors.Simulation;

/// <summary>
/// The figures of one dissemination run. Times to 100 % are per block, from the ordering service's delivery to the
/// org leaders until the last peer committed the block (in order); a block some peer never committed counts as
/// infinite in the percentiles and is listed. Hop-delays are in units of the mean link delay (latency + jitter).
/// Traffic figures are per peer per block, counted from the first block on.
/// </summary>
public sealed record DisseminationReport
{
    public required DisseminationSimulationOptions Options { get; init; }
    public int Peers => Options.Peers;
    public int Blocks => Options.Blocks;
    public DisseminationMode Mode => Options.Mode;

    /// <summary>Fraction of (block, peer) pairs committed by the end of the run.</summary>
    public required double DeliveredFraction { get; init; }

    /// <summary>Blocks that every peer committed.</summary>
    public required int BlocksFullyDelivered { get; init; }

    /// <summary>Blocks some peer never committed, with the number of peers missing each (first 10).</summary>
    public required IReadOnlyList<(int Block, int MissingPeers)> Incomplete { get; init; }

    /// <summary>Same-org channel views when the first block left the orderer: smallest and mean size, and the number of
    /// peers in no other peer's view (state info not yet spread).</summary>
    public required (int Min, double Mean, int Unknown) ViewAtFirstBlock { get; init; }

    /// <summary>Over all blocks (never = +∞): time to 100 % in ms.</summary>
    public required double TimeTo100P50Ms { get; init; }
    public required double TimeTo100P99Ms { get; init; }
    public required double TimeTo100MaxMs { get; init; }

    public double HopDelayP50 => TimeTo100P50Ms / Options.HopDelay.TotalMilliseconds;
    public double HopDelayP99 => TimeTo100P99Ms / Options.HopDelay.TotalMilliseconds;
    public double HopDelayMax => TimeTo100MaxMs / Options.HopDelay.TotalMilliseconds;

    /// <summary>Full copies of blocks a peer received (push, request answers, pull), per block.</summary>
    public required double CopiesPerPeerMean { get; init; }
    public required double CopiesPerPeerP99 { get; init; }

    public required double MessagesPerPeerPerBlock { get; init; }
    public required double BytesPerPeerPerBlock { get; init; }
    public required double SignaturesPerPeerPerBlock { get; init; }
    public required double VerificationsPerPeerPerBlock { get; init; }
    public required double DigestsPerPeerPerBlock { get; init; }
    public required double StateInfoMessagesPerPeerPerBlock { get; init; }
    public required double StateInfoBytesPerPeerPerBlock { get; init; }
    public required double CpuMsPerPeerPerBlock { get; init; }

    /// <summary>Alive messages each peer sends (and receives) per block, modelled on the CPU only (0 without
    /// <see cref="DisseminationSimulationOptions.AliveInterval"/>); not in <see cref="MessagesPerPeerPerBlock"/>.</summary>
    public double AliveMessagesPerPeerPerBlock { get; init; }

    /// <summary>State info per peer per block interval while blocks flow (first block to the last one's injection;
    /// steady state), by kind: publisher's push, relayed copy, pull request, pull answer (messages, bytes received).
    /// <see cref="StateInfoMessagesPerPeerPerBlock"/> and <see cref="StateInfoBytesPerPeerPerBlock"/> are their sums.</summary>
    public required StateInfoTraffic StateInfoByKind { get; init; }

    /// <summary>State info per peer during the warm-up (before the first block): messages and bytes received in all.</summary>
    public required (double Messages, double Bytes) StateInfoWarmupPerPeer { get; init; }

    /// <summary>State transfer over all peers: requests sent, blocks received that the peer lacked, requests timed out.</summary>
    public required long StateTransferRequests { get; init; }
    public required long StateTransferBlocks { get; init; }
    public required long StateTransferTimeouts { get; init; }

    /// <summary>The late joiner's figures, if the run had one.</summary>
    public required LateJoinerReport? LateJoiner { get; init; }

    public required long MessagesSent { get; init; }
    public required long MessagesDropped { get; init; }
    public required TimeSpan VirtualTime { get; init; }
    public required TimeSpan WallTime { get; init; }

    /// <summary>The settings the figures depend on, for the header of a table.</summary>
    public string Header
    {
        get
        {
            var o = Options;
            var c = o.Costs;
            var t = o.EffectiveStateTransfer;
            var lateJoiner = o.LateJoinerAtBlock is { } late ? $"; late joiner: the last peer joins when block {late} leaves the orderer" : "";
            var transfer = t.Enabled ? "on" : "off";
            var membership = o.AliveInterval is { } alive ? $"; membership: alive every {alive.TotalSeconds:0.###} s on the CPU" : "";
            var cores = o.SharedCores is { } shared ? $"all peers share {shared} core(s)" : "a core per peer";
            return string.Create(CultureInfo.InvariantCulture,
                $"store maxBlockCountToStore = {o.StoreSize} ({o.StoreSource}); state info publish / pull every {o.EffectiveStateInfo.PublishInterval.TotalSeconds:0.###} / {o.EffectiveStateInfo.RequestInterval.TotalSeconds:0.###} s, fan-out {o.EffectiveStateInfo.Fanout}; " +
                $"orgs = {o.Orgs}, blocks at each org's {(o.InjectAtLeader ? "leader" : "random peer")}; {o.BlockBytes} B blocks every {o.BlockInterval.TotalMilliseconds:0.###} ms from {o.Warmup.TotalSeconds:0.###} s " +
                $"(same-org views then: min {ViewAtFirstBlock.Min}, mean {ViewAtFirstBlock.Mean:0.#} peers, {ViewAtFirstBlock.Unknown} peers in no view); " +
                $"link {o.Latency.TotalMilliseconds:0.###} ms + exp. jitter mean {o.Jitter.TotalMilliseconds:0.###} ms (hop-delay d = {o.HopDelay.TotalMilliseconds:0.###} ms); loss {o.LossRate:0.###}; seed {o.Seed}\n" +
                $"CPU: {cores}; sign {c.SignUs} µs, verify {c.VerifyUs} µs, decode {c.DecodeUs} µs + {c.DecodeUsPerKiB} µs/KiB, block verify {c.BlockVerifyUs} µs, " +
                $"Akka.Remote {c.AkkaUs} µs + {c.AkkaUsPerKiB} µs/KiB per message, wake-ups {c.WakeUpUs} µs + {c.WakeUpUsPerKiB} µs/KiB per message, idle {c.IdleUsPerSecond} µs/s per peer, session MAC {c.MacUs} µs + {c.MacUsPerKiB} µs/KiB per side; frame overhead {c.FrameOverheadBytes} B; " +
                $"ledger write {c.StoreUsPerBatch} µs per batch + {c.StoreUsPerKiB} µs/KiB, read {c.ReadUsPerKiB} µs/KiB; CPU stretch (load) x{c.CpuStretch}\n" +
                $"State transfer: {transfer}, check every {t.CheckInterval.TotalSeconds:0.###} s, batch {t.BatchSize}, window / payload buffer {t.Window}, response timeout {t.ResponseTimeout.TotalSeconds:0.###} s, {t.MaxRetries} retries{lateJoiner}{membership}");
        }
    }

    public static string TableHeader =>
        "| mode | peers | committed | time to 100 % p50 / p99 / max (ms) | (d) | copies/peer/block mean / p99 | msgs/peer/block | bytes/peer/block | signs / verifies per peer/block | state info msgs / bytes per peer/block | CPU ms/peer/block | wall |\n" +
        "|---|---:|---:|---|---|---|---:|---:|---|---|---:|---:|";

    public string TableRow => string.Create(CultureInfo.InvariantCulture,
        $"| {Mode.ToString().ToLowerInvariant()} | {Peers} | {DeliveredFraction:P2} ({BlocksFullyDelivered}/{Blocks}) | " +
        $"{Ms(TimeTo100P50Ms)} / {Ms(TimeTo100P99Ms)} / {Ms(TimeTo100MaxMs)} | {D(HopDelayP50)} / {D(HopDelayP99)} / {D(HopDelayMax)} | " +
        $"{CopiesPerPeerMean:0.###} / {CopiesPerPeerP99:0.###} | {MessagesPerPeerPerBlock:0.#} | {BytesPerPeerPerBlock:0} | " +
        $"{SignaturesPerPeerPerBlock:0.##} / {VerificationsPerPeerPerBlock:0.##} | {StateInfoMessagesPerPeerPerBlock:0.##} / {StateInfoBytesPerPeerPerBlock:0} | " +
        $"{CpuMsPerPeerPerBlock:0.###} | {WallTime.TotalSeconds:0.0} s |");

    public string StateTransferLine => string.Create(CultureInfo.InvariantCulture,
        $"State transfer: {StateTransferRequests} requests ({StateTransferTimeouts} timed out), {StateTransferBlocks} blocks a peer lacked ({(double)StateTransferBlocks / Peers / Blocks:0.####} per peer per block).") +
        (LateJoiner is { } late ? " " + late.Line : "");

    public string StateInfoLine
    {
        get
        {
            string[] kinds = ["publish push", "relay", "pull request", "pull answer"];
            (double Messages, double Bytes)[] figures = [StateInfoByKind.Push, StateInfoByKind.Relay, StateInfoByKind.PullRequest, StateInfoByKind.PullAnswer];
            var parts = kinds.Select((k, i) => string.Create(CultureInfo.InvariantCulture,
                $"{k} {figures[i].Messages:0.###} / {figures[i].Bytes:0}"));
            return string.Create(CultureInfo.InvariantCulture,
                $"State info per peer per block (msgs / bytes): {string.Join(", ", parts)}. Warm-up ({Options.Warmup.TotalSeconds:0.###} s before the first block): "
                + $"{StateInfoWarmupPerPeer.Messages:0.#} msgs, {StateInfoWarmupPerPeer.Bytes:0} bytes per peer in all.");
        }
    }

    public string IncompleteLine => Incomplete.Count == 0
        ? ""
        : $"Never committed by every peer: {string.Join(", ", Incomplete.Select(x => $"block {x.Block} ({x.MissingPeers} peers missing)"))}" +
          (BlocksFullyDelivered + Incomplete.Count < Blocks ? ", ..." : "");

    public string ToTable()
    {
        var text = new StringBuilder().AppendLine(Header).AppendLine().AppendLine(TableHeader).AppendLine(TableRow).AppendLine().AppendLine(StateTransferLine).AppendLine(StateInfoLine);
        if (AliveMessagesPerPeerPerBlock > 0)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Membership (on the CPU only): {AliveMessagesPerPeerPerBlock:0.#} alive messages sent and as many received per peer per block, beside the {MessagesPerPeerPerBlock:0.#} above."));
        }
        if (Incomplete.Count > 0)
        {
            text.AppendLine().AppendLine(IncompleteLine);
        }
        return text.ToString();
    }

    private static string Ms(double ms) => double.IsPositiveInfinity(ms) ? "never" : ms.ToString(ms < 10 ? "0.##" : "0", CultureInfo.InvariantCulture);

    private static string D(double d) => double.IsPositiveInfinity(d) ? "never" : d.ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>A late joiner: when it joined, how long it took to commit every block before it joined (null: never), and
/// where it ended.</summary>
public sealed record LateJoinerReport(int JoinedAtBlock, TimeSpan JoinedAt, TimeSpan? CatchUp, ulong FinalHeight, long BlocksByStateTransfer)
{
    public string Line
    {
        get
        {
            var catchUp = CatchUp is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms after joining") : "never";
            return string.Create(CultureInfo.InvariantCulture,
                $"Late joiner: joined at {JoinedAt.TotalSeconds:0.###} s (block {JoinedAtBlock}); committed the {JoinedAtBlock} earlier blocks {catchUp}; final height {FinalHeight}; {BlocksByStateTransfer} blocks by state transfer.");
        }
    }
}

/// <summary>State info per peer per block by kind (messages, bytes received): a publisher's push, a relayed copy, a
/// pull request, a pull answer.</summary>
public readonly record struct StateInfoTraffic(
    (double Messages, double Bytes) Push, (double Messages, double Bytes) Relay,
    (double Messages, double Bytes) PullRequest, (double Messages, double Bytes) PullAnswer);
