using GossipActors.Node.Network;
using Xunit;

namespace GossipActors.Tests.Network;

public sealed class RunSummaryTests
{
    private static IReadOnlyList<PeerBlockTime> Commits(params (ulong Number, ulong Cut, ulong Committed)[] blocks) =>
        [.. blocks.Select(b => new PeerBlockTime(b.Number, b.Cut, b.Committed))];

    [Fact]
    public void Time_to_all_peers_is_the_last_commit_over_peers_minus_the_cut_time()
    {
        var peers = new Dictionary<string, IReadOnlyList<PeerBlockTime>>
        {
            ["p0"] = Commits((5, 1000, 1010)),
            ["p1"] = Commits((5, 1000, 1042)),
            ["p2"] = Commits((5, 1000, 1003)),
        };

        Assert.Equal(42, RunSummary.TimeToAllPeers(5, peers));
    }

    [Fact]
    public void A_block_some_peer_has_not_committed_has_no_time_to_all_peers()
    {
        var peers = new Dictionary<string, IReadOnlyList<PeerBlockTime>>
        {
            ["p0"] = Commits((5, 1000, 1010), (6, 1100, 1120)),
            ["p1"] = Commits((5, 1000, 1042)),
        };

        Assert.Null(RunSummary.TimeToAllPeers(6, peers));
        Assert.Null(RunSummary.TimeToAllPeers(7, peers));
    }

    [Fact]
    public void A_block_without_cut_time_has_no_time_to_all_peers()
    {
        var peers = new Dictionary<string, IReadOnlyList<PeerBlockTime>> { ["p0"] = Commits((5, 0, 1010)) };

        Assert.Null(RunSummary.TimeToAllPeers(5, peers));
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(1, 1)]
    public void Percentiles_use_the_nearest_rank(double percent, double expected)
    {
        var values = Enumerable.Range(1, 100).Select(v => (double)v).ToList();

        Assert.Equal(expected, RunSummary.Percentile(values, percent));
    }

    [Fact]
    public void Percentile_of_few_values_is_one_of_them()
    {
        Assert.Equal(20, RunSummary.Percentile([10, 20, 30], 50));
        Assert.Equal(30, RunSummary.Percentile([10, 20, 30], 99));
        Assert.Equal(0, RunSummary.Percentile([], 50));
    }

    [Fact]
    public void Summary_reduces_a_run_to_per_block_figures()
    {
        var run = new RunMeasurements(
            Blocks: [1, 2, 3, 4],
            PeerBlocks: new Dictionary<string, IReadOnlyList<PeerBlockTime>>
            {
                ["p0"] = Commits((1, 100, 110), (2, 200, 220), (3, 300, 330), (4, 400, 440)),
                ["p1"] = Commits((1, 100, 105), (2, 200, 260), (3, 300, 310)), // block 4 missing at p1
            },
            PeerCopies: new Dictionary<string, long> { ["p0"] = 4, ["p1"] = 12 },
            OrdererBytes: 8_000,
            CpuSeconds: 2.0);

        var summary = RunSummary.From(run);

        Assert.Equal(4, summary.Blocks);
        Assert.Equal(2, summary.Peers);
        Assert.Equal(3, summary.Complete); // block 4 is not at every peer
        Assert.Equal(30, summary.AllPeersP50Ms); // times to all peers: 10, 60, 30 -> sorted 10, 30, 60
        Assert.Equal(60, summary.AllPeersP99Ms);
        Assert.Equal(60, summary.AllPeersMaxMs);
        Assert.Equal(2.0, summary.CopiesPerPeer); // (4 + 12) copies / 2 peers / 4 blocks
        Assert.Equal(2_000, summary.OrdererBytesPerBlock);
        Assert.Equal(0.5, summary.CpuSecondsPerBlock);
    }

    [Fact]
    public void Figures_not_measured_stay_null()
    {
        var summary = RunSummary.From(new RunMeasurements([1], new Dictionary<string, IReadOnlyList<PeerBlockTime>>(),
            new Dictionary<string, long>(), null, null));

        Assert.Null(summary.OrdererBytesPerBlock);
        Assert.Null(summary.CpuSecondsPerBlock);
        Assert.Equal(0, summary.CopiesPerPeer);
    }

    [Fact]
    public void Ratios_divide_the_gossip_run_by_the_pull_run()
    {
        var pull = new RunSummary(10, 10, 10, 20, 40, 50, 1.0, 10_000, 0.2);
        var gossip = new RunSummary(10, 10, 10, 30, 60, 100, 1.5, 2_000, null);

        var ratios = RunRatios.Of(gossip, pull);

        Assert.Equal(1.5, ratios.P50);
        Assert.Equal(1.5, ratios.P99);
        Assert.Equal(2.0, ratios.Max);
        Assert.Equal(1.5, ratios.CopiesPerPeer);
        Assert.Equal(0.2, ratios.OrdererBytesPerBlock);
        Assert.Null(ratios.CpuSecondsPerBlock);
    }
}

public sealed class PrometheusSamplesTests
{
    private const string Text = """
        # HELP orderer_deliver_sent_bytes_total Bytes of blocks sent on deliver streams.
        # TYPE orderer_deliver_sent_bytes_total counter
        orderer_deliver_sent_bytes_total{channel="ch1"} 1500
        orderer_deliver_sent_bytes_total{channel="ch2"} 2.5e3
        orderer_deliver_sent_bytes_total_extra 99
        orderer_deliver_sent_blocks_total{channel="ch1"} 3
        gossip_state_height 7
        """;

    [Fact]
    public void Sum_adds_every_label_set_of_exactly_that_metric()
    {
        Assert.Equal(4000, PrometheusSamples.Sum(Text, "orderer_deliver_sent_bytes_total"));
        Assert.Equal(3, PrometheusSamples.Sum(Text, "orderer_deliver_sent_blocks_total"));
        Assert.Equal(7, PrometheusSamples.Sum(Text, "gossip_state_height"));
        Assert.Equal(0, PrometheusSamples.Sum(Text, "absent_total"));
    }
}

public sealed class SummaryTextTests
{
    [Fact]
    public void The_comparison_table_gives_both_runs_and_their_ratio_per_figure()
    {
        var pull = new RunSummary(10, 10, 10, 20, 40, 50, 1.0, 10_000, 0.2);
        var gossip = new RunSummary(10, 10, 9, 30, 60, 100, 1.5, 2_000, 0.1);

        var lines = SummaryText.Comparison(pull, gossip).ToList();

        Assert.Contains("| cut → 100 % of peers, p50 (ms) | 20 | 30 | 1.50 |", lines);
        Assert.Contains("| orderer deliver bytes | 10000 | 2000 | 0.20 |", lines);
        Assert.Contains("| CPU seconds, all processes | 0.200 | 0.100 | 0.50 |", lines);
        Assert.Contains("| blocks at every peer / measured | 10 / 10 | 9 / 10 | |", lines);
    }

    [Fact]
    public void A_figure_not_measured_is_said_so()
    {
        var lines = SummaryText.Lines(new RunSummary(5, 4, 5, 10, 20, 30, 1.25, null, 0.5)).ToList();

        Assert.Contains("  orderer deliver bytes per block: not measured (the orderer has no operations endpoint)", lines);
        Assert.Contains("  full copies received per peer per block: 1.25", lines);
    }
}
