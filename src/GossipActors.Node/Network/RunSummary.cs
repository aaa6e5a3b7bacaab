namespace GossipActors.Node.Network;

/// <summary>One block as one peer committed it: the orderer's cut time and the peer's commit time (Unix ms).</summary>
internal sealed record PeerBlockTime(ulong Number, ulong CutUnixMs, ulong CommittedUnixMs);

/// <summary>What a run measured, read from the nodes at its end (counters as deltas over the run).</summary>
/// <param name="Blocks">The block numbers the run produced (the summary covers these).</param>
/// <param name="PeerBlocks">Per peer (by name): the blocks it reports with cut and commit times (/blocks).</param>
/// <param name="PeerCopies">Per peer: full block copies received during the run (gossip, state transfer and orderer).</param>
/// <param name="OrdererBytes">Bytes the orderer sent in deliver streams during the run.</param>
/// <param name="CpuSeconds">CPU seconds (user + system) all processes used during the run.</param>
internal sealed record RunMeasurements(
    IReadOnlyList<ulong> Blocks,
    IReadOnlyDictionary<string, IReadOnlyList<PeerBlockTime>> PeerBlocks,
    IReadOnlyDictionary<string, long> PeerCopies,
    long? OrdererBytes,
    double? CpuSeconds);

/// <summary>Per-block figures of a run.</summary>
/// <param name="Complete">Blocks that every peer reported committed (the latency figures are over these).</param>
/// <param name="AllPeersP50Ms">Time from cut to 100 % of peers committed: median over blocks (ms).</param>
/// <param name="CopiesPerPeer">Full copies a peer received per block, averaged over peers.</param>
/// <param name="OrdererBytesPerBlock">Orderer deliver bytes per block, or null when not measured.</param>
/// <param name="CpuSecondsPerBlock">CPU seconds of all processes per block, or null when not measured.</param>
internal sealed record RunSummary(
    int Blocks,
    int Peers,
    int Complete,
    double AllPeersP50Ms,
    double AllPeersP99Ms,
    double AllPeersMaxMs,
    double CopiesPerPeer,
    double? OrdererBytesPerBlock,
    double? CpuSecondsPerBlock)
{
    /// <summary>Reduces measurements to per-block figures. Pure: no clock, no I/O.</summary>
    public static RunSummary From(RunMeasurements run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var peers = run.PeerBlocks.Count;
        var allPeers = new List<double>();
        foreach (var number in run.Blocks)
        {
            if (TimeToAllPeers(number, run.PeerBlocks) is { } ms)
            {
                allPeers.Add(ms);
            }
        }
        allPeers.Sort();
        var blocks = run.Blocks.Count;
        var copies = peers == 0 || blocks == 0 ? 0 : run.PeerCopies.Values.Sum() / (double)peers / blocks;
        return new RunSummary(
            blocks,
            peers,
            allPeers.Count,
            Percentile(allPeers, 50),
            Percentile(allPeers, 99),
            allPeers.Count == 0 ? 0 : allPeers[^1],
            copies,
            run.OrdererBytes is { } bytes && blocks > 0 ? bytes / (double)blocks : null,
            run.CpuSeconds is { } cpu && blocks > 0 ? cpu / blocks : null);
    }

    /// <summary>The latest commit of the block over all peers minus its cut time; null if a peer lacks it or it has no cut time.</summary>
    public static double? TimeToAllPeers(ulong number, IReadOnlyDictionary<string, IReadOnlyList<PeerBlockTime>> peerBlocks)
    {
        ulong? cut = null;
        ulong latest = 0;
        foreach (var blocks in peerBlocks.Values)
        {
            var block = blocks.FirstOrDefault(b => b.Number == number);
            if (block is null || block.CutUnixMs == 0)
            {
                return null;
            }
            cut ??= block.CutUnixMs;
            latest = Math.Max(latest, block.CommittedUnixMs);
        }
        return cut is null ? null : (double)((long)latest - (long)cut.Value);
    }

    /// <summary>Nearest-rank percentile of sorted values (0 for none).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

/// <summary>Run (b) against run (a): each figure of b divided by a's (null where either is missing or a's is 0).</summary>
internal sealed record RunRatios(double? P50, double? P99, double? Max, double? CopiesPerPeer, double? OrdererBytesPerBlock, double? CpuSecondsPerBlock)
{
    public static RunRatios Of(RunSummary b, RunSummary a) => new(
        Ratio(b.AllPeersP50Ms, a.AllPeersP50Ms),
        Ratio(b.AllPeersP99Ms, a.AllPeersP99Ms),
        Ratio(b.AllPeersMaxMs, a.AllPeersMaxMs),
        Ratio(b.CopiesPerPeer, a.CopiesPerPeer),
        Ratio(b.OrdererBytesPerBlock, a.OrdererBytesPerBlock),
        Ratio(b.CpuSecondsPerBlock, a.CpuSecondsPerBlock));

    private static double? Ratio(double? b, double? a) => a is > 0 && b is not null ? b / a : null;
}
