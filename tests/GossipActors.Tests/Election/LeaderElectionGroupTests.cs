using GossipActors.Election;
using Xunit;

namespace GossipActors.Tests.Election;

/// <summary>Several cores of one org on a virtual clock and an instant network: who ends up leading.</summary>
public sealed class LeaderElectionGroupTests
{
    private static readonly ElectionCoreSettings Fabric = new();
    private static readonly TimeSpan T = Fabric.LeaderAliveThreshold;

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void Four_peers_started_together_elect_the_lowest_id()
    {
        var net = new ElectionTestNet(Fabric, 4);
        net.Start(3, 1, 0, 2);

        net.RunFor(S(20));

        Assert.Equal([0], net.Leaders);
        Assert.All([1, 2, 3], p => Assert.Equal(net.Ids[0], net[p].Leader));
    }

    [Fact]
    public void Peers_started_one_after_another_keep_the_first_leader_even_if_later_ones_have_lower_ids()
    {
        var net = new ElectionTestNet(Fabric, 4);
        net.Start(3);
        net.RunFor(S(21)); // alone: an empty view is not settled, so it waits the grace period (15s), then elects (5s)
        Assert.Equal([3], net.Leaders);

        foreach (var peer in new[] { 2, 1, 0 })
        {
            net.Start(peer);
            net.RunFor(S(20));
        }

        Assert.Equal([3], net.Leaders);
        Assert.All([0, 1, 2], p => Assert.Equal(net.Ids[3], net[p].Leader));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_two_two_partition_elects_one_leader_per_side_and_healing_leaves_the_lower_id_within_one_threshold(bool fastFailover)
    {
        var net = new ElectionTestNet(Fabric with { FastFailover = fastFailover }, 4);
        net.Start(0, 1, 2, 3);
        net.RunFor(S(20));
        Assert.Equal([0], net.Leaders);

        net.Partition([0, 1], [2, 3]);
        Assert.NotNull(net.RunUntil(() => net.Leaders.Count == 2, T * 3));
        Assert.Equal([0, 2], net.Leaders);

        net.Heal();
        var took = net.RunUntil(() => net.Leaders.SequenceEqual([0]) && Enumerable.Range(1, 3).All(p => net[p].Leader == net.Ids[0]), T * 2);

        Assert.NotNull(took);
        Assert.True(took <= T, $"one leader after {took}, expected within {T}");
        net.RunFor(T * 2);
        Assert.Equal([0], net.Leaders);
    }

    [Theory]
    [InlineData(true, 5.5)]   // election at once (the leader left the view), then the election duration
    [InlineData(false, 15.5)] // Fabric: leaderAliveThreshold of silence, then the election duration
    public void A_crashed_leader_is_replaced_by_exactly_one_peer(bool fastFailover, double withinSeconds)
    {
        var net = new ElectionTestNet(Fabric with { FastFailover = fastFailover }, 4);
        net.Start(0, 1, 2, 3);
        net.RunFor(S(20));

        net.Crash(0);
        var took = net.RunUntil(() => net.Leaders.Count == 1, T * 3);

        Assert.Equal([1], net.Leaders);
        Assert.True(took <= S(withinSeconds), $"new leader after {took}");
        net.RunFor(T * 2);
        Assert.Equal([1], net.Leaders);
    }

    [Fact]
    public void A_leader_cut_off_from_the_orderer_yields_and_another_peer_leads()
    {
        var net = new ElectionTestNet(Fabric, 4);
        net.Start(0, 1, 2, 3);
        net.RunFor(S(20));

        net.Deliver(0, net[0].OnOrdererUnreachable(net.Now));
        Assert.NotNull(net.RunUntil(() => net.Leaders.Count == 1, T * 3));

        Assert.Equal([1], net.Leaders);
        Assert.Equal(net.Ids[1], net[0].Leader);
        Assert.False(net[0].IsYielding); // the new leader's declaration ended the yield
        net.RunFor(T * 3);
        Assert.Equal([1], net.Leaders); // incumbency: peer 0, back in the race, does not take it back
    }
}
