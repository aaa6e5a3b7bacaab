using System.Globalization;
using System.Text;
using GossipActors.Channels;

namespace GossipActors.Simulation;

/// <summary>The figures of one dissemination run. Hop-delays are in units of the link latency d.</summary>
public sealed record DisseminationReport
{
    public required int Peers { get; init; }
    public required int Blocks { get; init; }
    public required DisseminationMode Mode { get; init; }
    public required int Seed { get; init; }
    public required double LossRate { get; init; }

    /// <summary>Fraction of (block, peer) pairs delivered by the end of the run.</summary>
    public required double DeliveredFraction { get; init; }

    /// <summary>Blocks that reached every peer.</summary>
    public required int BlocksFullyDelivered { get; init; }

    /// <summary>Over fully delivered blocks: time from injection until the last peer had it, in d.</summary>
    public required double HopDelayP50 { get; init; }
    public required double HopDelayP99 { get; init; }
    public required double HopDelayMax { get; init; }

    /// <summary>Full copies of blocks a peer received (push, request answers, pull), per block.</summary>
    public required double CopiesPerPeerMean { get; init; }
    public required double CopiesPerPeerP99 { get; init; }

    public required double DigestsPerPeerPerBlock { get; init; }
    public required double BytesPerPeerPerBlock { get; init; }

    public required long MessagesSent { get; init; }
    public required long MessagesDropped { get; init; }
    public required TimeSpan VirtualTime { get; init; }
    public required TimeSpan WallTime { get; init; }

    public static string TableHeader =>
        "| mode | peers | blocks | loss | delivered | hop-delay p50 / p99 / max (d) | copies/peer/block mean / p99 peer | digests/peer/block | bytes/peer/block | msgs sent | wall |\n" +
        "|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|";

    public string TableRow => string.Create(CultureInfo.InvariantCulture,
        $"| {Mode.ToString().ToLowerInvariant()} | {Peers} | {Blocks} | {LossRate:0.###} | {DeliveredFraction:P2} ({BlocksFullyDelivered}/{Blocks}) | " +
        $"{HopDelayP50:0.#} / {HopDelayP99:0.#} / {HopDelayMax:0.#} | {CopiesPerPeerMean:0.###} / {CopiesPerPeerP99:0.###} | " +
        $"{DigestsPerPeerPerBlock:0.##} | {BytesPerPeerPerBlock:0} | {MessagesSent} | {WallTime.TotalSeconds:0.0} s |");

    public string ToTable() => new StringBuilder().AppendLine(TableHeader).AppendLine(TableRow).ToString();
}
