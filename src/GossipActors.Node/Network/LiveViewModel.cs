using System.Globalization;
using System.Text;

namespace GossipActors.Node.Network;

/// <summary>One peer as its last /status answer showed it; <see cref="Up"/> false when it did not answer.</summary>
/// <param name="Members">Peers this peer considers alive (its membership view), itself excluded.</param>
/// <param name="LastBlockLatencyMs">Cut-to-commit time of the last block it committed, or null.</param>
internal sealed record PeerView(string Name, string Org, bool Up, ulong Height, bool IsLeader, int Members, long? LastBlockLatencyMs);

/// <summary>
/// What the live view of <c>network up</c> shows, independent of how it is drawn: per peer its height, a leader mark,
/// its membership size and the latency of its last block; the progress towards the target height. Drawn as a table
/// on a terminal (<see cref="LiveTable"/>) or as plain lines (<see cref="PlainLine"/>) when output is redirected.
/// </summary>
internal sealed record LiveViewModel(IReadOnlyList<PeerView> Peers, ulong Target, TimeSpan Elapsed, ulong? OrdererHeight)
{
    public const string LeaderMark = "*";

    public static LiveViewModel Of(IEnumerable<PeerView> peers, ulong target, TimeSpan elapsed, ulong? ordererHeight = null) =>
        new([.. peers.OrderBy(p => p.Org, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)], target, elapsed, ordererHeight);

    /// <summary>Peers that answered and have at least the target height.</summary>
    public int AtTarget => Peers.Count(p => p.Up && p.Height >= Target);

    /// <summary>True when every peer answered with at least the target height.</summary>
    public bool Done => Peers.Count > 0 && AtTarget == Peers.Count;

    public ulong LowestHeight => Peers.Count == 0 ? 0 : Peers.Min(p => p.Up ? p.Height : 0);

    /// <summary>Heights, leaders and liveness: a plain-line view prints a line only when this changes.</summary>
    public string ProgressKey => string.Join(' ', Peers.Select(p => $"{p.Name}:{(p.Up ? p.Height.ToString(CultureInfo.InvariantCulture) : "-")}{(p.IsLeader ? LeaderMark : "")}"));

    /// <summary>The height cell: the height, with <see cref="LeaderMark"/> for a leader, "down" when it did not answer.</summary>
    public static string HeightCell(PeerView peer) =>
        peer.Up ? peer.Height.ToString(CultureInfo.InvariantCulture) + (peer.IsLeader ? " " + LeaderMark : "") : "down";

    public static string LatencyCell(PeerView peer) =>
        peer.Up && peer.LastBlockLatencyMs is { } ms ? ms.ToString(CultureInfo.InvariantCulture) + " ms" : "-";

    /// <summary>Elapsed time and progress; while <see cref="Target"/> is 0 (starting) the peers that answer.</summary>
    public string Headline =>
        (Target == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds,6:F1}s  starting: {Peers.Count(p => p.Up)}/{Peers.Count} peers answer")
            : string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds,6:F1}s  {AtTarget}/{Peers.Count} peers at height {Target}"))
        + (OrdererHeight is { } h ? string.Create(CultureInfo.InvariantCulture, $", orderer at {h}") : "");

    /// <summary>One line for non-interactive output: the headline, then each peer as name=height[*](members, latency).</summary>
    public string PlainLine()
    {
        var line = new StringBuilder(Headline).Append(" |");
        foreach (var peer in Peers)
        {
            line.Append(' ').Append(peer.Name).Append('=');
            if (!peer.Up)
            {
                line.Append("down");
                continue;
            }
            line.Append(peer.Height.ToString(CultureInfo.InvariantCulture));
            if (peer.IsLeader)
            {
                line.Append(LeaderMark);
            }
            line.Append(CultureInfo.InvariantCulture, $"({peer.Members}");
            if (peer.LastBlockLatencyMs is { } ms)
            {
                line.Append(CultureInfo.InvariantCulture, $",{ms}ms");
            }
            line.Append(')');
        }
        return line.ToString();
    }
}
