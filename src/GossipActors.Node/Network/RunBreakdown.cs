namespace GossipActors.Node.Network;

/// <summary>Median and 99th percentile (ms) of one stage over the blocks (or block copies) it was seen for.</summary>
internal sealed record StageTime(int Count, double P50Ms, double P99Ms)
{
    public static StageTime Of(List<double> values)
    {
        values.Sort();
        return new StageTime(values.Count, RunSummary.Percentile(values, 50), RunSummary.Percentile(values, 99));
    }
}

/// <summary>
/// Where a run's time from cut to 100 % of peers went, from each peer's receive time, source and commit time per block
/// (/blocks). Times are from the orderer's cut unless said otherwise.
/// </summary>
/// <param name="OrdererToPuller">Cut → the first copy from the orderer at a peer that pulls (a leader in (b)).</param>
/// <param name="PullerCommit">That peer's receive → its commit (verify once, chain check, SQLite write).</param>
/// <param name="ArrivalBySource">Cut → first copy at the other peers, by how it came (Push, Fetched, Pull, Orderer).</param>
/// <param name="CommitAfterArrival">Receive → commit at the other peers (all sources noted).</param>
/// <param name="LastPeerSources">Per block, how its last peer to commit got it (count of blocks by source).</param>
/// <param name="LastPeerArrival">Cut → first copy at the last peer to commit.</param>
/// <param name="LastPeerCommit">Receive → commit at the last peer to commit (noted sources only).</param>
internal sealed record RunBreakdown(
    StageTime OrdererToPuller,
    StageTime PullerCommit,
    IReadOnlyDictionary<string, StageTime> ArrivalBySource,
    StageTime CommitAfterArrival,
    IReadOnlyDictionary<string, int> LastPeerSources,
    StageTime LastPeerArrival,
    StageTime LastPeerCommit)
{
    private const string Orderer = "Orderer";

    /// <summary>Pure: reduces the peers' block records over <paramref name="blocks"/> (blocks every peer has, with a cut time).</summary>
    public static RunBreakdown From(IReadOnlyList<ulong> blocks, IReadOnlyDictionary<string, IReadOnlyList<PeerBlockTime>> peerBlocks)
    {
        var byPeer = peerBlocks.ToDictionary(p => p.Key, p => p.Value.GroupBy(b => b.Number).ToDictionary(g => g.Key, g => g.First()));
        var ordererToPuller = new List<double>();
        var pullerCommit = new List<double>();
        var arrivals = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var commitAfter = new List<double>();
        var lastSources = new Dictionary<string, int>(StringComparer.Ordinal);
        var lastArrival = new List<double>();
        var lastCommit = new List<double>();
        foreach (var number in blocks)
        {
            var copies = byPeer.Values.Select(p => p.GetValueOrDefault(number)).ToList();
            if (copies.Count == 0 || copies.Any(c => c is null || c.CutUnixMs == 0))
            {
                continue;
            }
            var cut = (double)copies[0]!.CutUnixMs;
            var first = copies.Where(c => c!.Source == Orderer && c.ReceivedUnixMs > 0).OrderBy(c => c!.ReceivedUnixMs).FirstOrDefault();
            if (first is not null)
            {
                ordererToPuller.Add(first.ReceivedUnixMs - cut);
                pullerCommit.Add((double)first.CommittedUnixMs - first.ReceivedUnixMs);
            }
            foreach (var copy in copies.Where(c => !ReferenceEquals(c, first)))
            {
                if (copy!.ReceivedUnixMs > 0)
                {
                    Values(arrivals, copy.Source).Add(copy.ReceivedUnixMs - cut);
                    commitAfter.Add((double)copy.CommittedUnixMs - copy.ReceivedUnixMs);
                }
            }
            var last = copies.MaxBy(c => c!.CommittedUnixMs)!;
            var source = last.Source.Length == 0 ? "StateTransfer" : last.Source;
            lastSources[source] = lastSources.GetValueOrDefault(source) + 1;
            if (last.ReceivedUnixMs > 0)
            {
                lastArrival.Add(last.ReceivedUnixMs - cut);
                lastCommit.Add((double)last.CommittedUnixMs - last.ReceivedUnixMs);
            }
        }
        return new RunBreakdown(StageTime.Of(ordererToPuller), StageTime.Of(pullerCommit),
            arrivals.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => StageTime.Of(a.Value), StringComparer.Ordinal),
            StageTime.Of(commitAfter), lastSources, StageTime.Of(lastArrival), StageTime.Of(lastCommit));
    }

    private static List<double> Values(Dictionary<string, List<double>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }
        return list;
    }
}
