using System.Diagnostics;

namespace GossipActors.Simulation;

/// <summary>The figures of a finished run.</summary>
public sealed partial class DisseminationSimulation
{
    private DisseminationReport Report(TimeSpan wall)
    {
        var o = _options;
        var n = _peers.Length;
        var times = Enumerable.Range(0, o.Blocks)
            .Select(b => _completedAt[b] == TimeSpan.MaxValue ? double.PositiveInfinity : (_completedAt[b] - _injectedAt[b]).TotalMilliseconds)
            .Order().ToArray();
        var incomplete = Enumerable.Range(0, o.Blocks).Where(b => _committed[b] < _expected[b]).Take(10).Select(b => (b, _expected[b] - _committed[b])).ToList();
        var copies = _traffic.Copies.Select(c => (double)c / o.Blocks).Order().ToArray();
        double PerPeerPerBlock(long[] counts) => (double)counts.Sum() / n / o.Blocks;
        // State info is timer-driven: counted from the first block to the last one's injection, per block interval.
        var steadyBlocks = (double)Math.Max(1, o.Blocks - 1);
        (double, double) Kind(int k) => (_traffic.StateInfoMessagesByKind[k] / steadyBlocks / n, _traffic.StateInfoBytesByKind[k] / steadyBlocks / n);
        Debug.Assert(times.Length == o.Blocks);
        return new DisseminationReport
        {
            Options = o,
            DeliveredFraction = (double)_delivered / ((long)o.Blocks * n),
            BlocksFullyDelivered = _completedAt.Count(t => t != TimeSpan.MaxValue),
            Incomplete = incomplete,
            ViewAtFirstBlock = _viewAtFirstBlock,
            TimeTo100P50Ms = Percentile(times, 0.50),
            TimeTo100P99Ms = Percentile(times, 0.99),
            TimeTo100MaxMs = times[^1],
            CopiesPerPeerMean = copies.Average(),
            CopiesPerPeerP99 = Percentile(copies, 0.99),
            MessagesPerPeerPerBlock = PerPeerPerBlock(_traffic.MessagesSent),
            BytesPerPeerPerBlock = PerPeerPerBlock(_traffic.BytesReceived),
            SignaturesPerPeerPerBlock = PerPeerPerBlock(_traffic.Signatures),
            VerificationsPerPeerPerBlock = PerPeerPerBlock(_traffic.Verifications),
            DigestsPerPeerPerBlock = PerPeerPerBlock(_traffic.Digests),
            StateInfoMessagesPerPeerPerBlock = _traffic.StateInfoMessagesByKind.Sum() / steadyBlocks / n,
            StateInfoBytesPerPeerPerBlock = _traffic.StateInfoBytesByKind.Sum() / steadyBlocks / n,
            StateInfoByKind = new StateInfoTraffic(Kind(0), Kind(1), Kind(2), Kind(3)),
            StateInfoWarmupPerPeer = ((double)_traffic.WarmupStateInfoMessages.Sum() / n, (double)_traffic.WarmupStateInfoBytes.Sum() / n),
            AliveMessagesPerPeerPerBlock = AliveMessagesPerPeerPerBlock,
            CpuMsPerPeerPerBlock = (_cpu.Busy - _busyBeforeBlocks).TotalMilliseconds / n / o.Blocks,
            StateTransferRequests = _planners.Sum(p => p.Counters.Requests),
            StateTransferBlocks = _traffic.StateTransferBlocks.Sum(),
            StateTransferTimeouts = _planners.Sum(p => p.Counters.Timeouts),
            LateJoiner = _lateJoiner < 0 ? null : new LateJoinerReport(o.LateJoinerAtBlock!.Value, _joinedAt ?? TimeSpan.Zero,
                _caughtUpAt is { } caught && _joinedAt is { } joined ? caught - joined : null,
                _pipelines[_lateJoiner].CommittedHeight, _traffic.StateTransferBlocks[_lateJoiner]),
            MessagesSent = _network.Sent,
            MessagesDropped = _network.Dropped,
            VirtualTime = _scheduler.Now,
            WallTime = wall,
        };
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
