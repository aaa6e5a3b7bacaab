using System.Globalization;

namespace GossipActors.Node.Network;

/// <summary>The printed form of a <see cref="RunSummary"/> and of a comparison of two runs.</summary>
internal static class SummaryText
{
    public static IEnumerable<string> Lines(RunSummary summary)
    {
        yield return F($"summary over {summary.Blocks} blocks at {summary.Peers} peers ({summary.Complete} blocks at every peer):");
        yield return F($"  time from cut to 100 % of peers committed: p50 {summary.AllPeersP50Ms:F0} ms, p99 {summary.AllPeersP99Ms:F0} ms, max {summary.AllPeersMaxMs:F0} ms");
        yield return F($"  full copies received per peer per block: {summary.CopiesPerPeer:F2}");
        yield return "  orderer deliver bytes per block: " + (summary.OrdererBytesPerBlock is { } bytes ? F($"{bytes:F0}") : "not measured (the orderer has no operations endpoint)");
        yield return "  CPU seconds per block, all node processes: " + (summary.CpuSecondsPerBlock is { } cpu ? F($"{cpu:F3}") : "not measured");
    }

    /// <summary>A Markdown table: (a) pull from the orderer, (b) gossip, and (b)/(a).</summary>
    public static IEnumerable<string> Comparison(RunSummary pull, RunSummary gossip)
    {
        var ratios = RunRatios.Of(gossip, pull);
        yield return "| per block | (a) every peer pulls | (b) leaders pull, gossip | (b)/(a) |";
        yield return "|---|---:|---:|---:|";
        yield return Row("cut → 100 % of peers, p50 (ms)", pull.AllPeersP50Ms, gossip.AllPeersP50Ms, ratios.P50, "F0");
        yield return Row("cut → 100 % of peers, p99 (ms)", pull.AllPeersP99Ms, gossip.AllPeersP99Ms, ratios.P99, "F0");
        yield return Row("cut → 100 % of peers, max (ms)", pull.AllPeersMaxMs, gossip.AllPeersMaxMs, ratios.Max, "F0");
        yield return Row("orderer deliver bytes", pull.OrdererBytesPerBlock, gossip.OrdererBytesPerBlock, ratios.OrdererBytesPerBlock, "F0");
        yield return Row("CPU seconds, all processes", pull.CpuSecondsPerBlock, gossip.CpuSecondsPerBlock, ratios.CpuSecondsPerBlock, "F3");
        yield return Row("full copies per peer", pull.CopiesPerPeer, gossip.CopiesPerPeer, ratios.CopiesPerPeer, "F2");
        yield return F($"| blocks at every peer / measured | {pull.Complete} / {pull.Blocks} | {gossip.Complete} / {gossip.Blocks} | |");
    }

    private static string Row(string what, double? a, double? b, double? ratio, string format) =>
        $"| {what} | {Cell(a, format)} | {Cell(b, format)} | {Cell(ratio, "F2")} |";

    private static string Cell(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
