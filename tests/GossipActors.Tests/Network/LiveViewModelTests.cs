using GossipActors.Node.Network;
using Xunit;

namespace GossipActors.Tests.Network;

public sealed class LiveViewModelTests
{
    private static PeerView Peer(string name, string org, ulong height, bool leader = false, bool up = true, long? latency = null) =>
        new(name, org, up, height, leader, 4, latency);

    [Fact]
    public void Peers_are_listed_by_org_then_name()
    {
        var model = LiveViewModel.Of([Peer("peer1", "Org2", 3), Peer("peer0", "Org2", 3), Peer("peer1", "Org1", 3)], 5, TimeSpan.Zero);

        Assert.Equal(["Org1/peer1", "Org2/peer0", "Org2/peer1"], model.Peers.Select(p => $"{p.Org}/{p.Name}"));
    }

    [Fact]
    public void The_view_is_done_only_when_every_peer_answered_with_the_target_height()
    {
        Assert.False(LiveViewModel.Of([Peer("a", "O", 5), Peer("b", "O", 4)], 5, TimeSpan.Zero).Done);
        Assert.False(LiveViewModel.Of([Peer("a", "O", 5), Peer("b", "O", 9, up: false)], 5, TimeSpan.Zero).Done);
        Assert.False(LiveViewModel.Of([], 5, TimeSpan.Zero).Done);
        var done = LiveViewModel.Of([Peer("a", "O", 5), Peer("b", "O", 6)], 5, TimeSpan.Zero);
        Assert.True(done.Done);
        Assert.Equal(2, done.AtTarget);
    }

    [Fact]
    public void Cells_mark_the_leader_and_a_peer_that_did_not_answer()
    {
        Assert.Equal("7 *", LiveViewModel.HeightCell(Peer("a", "O", 7, leader: true)));
        Assert.Equal("7", LiveViewModel.HeightCell(Peer("a", "O", 7)));
        Assert.Equal("down", LiveViewModel.HeightCell(Peer("a", "O", 7, up: false)));
        Assert.Equal("12 ms", LiveViewModel.LatencyCell(Peer("a", "O", 7, latency: 12)));
        Assert.Equal("-", LiveViewModel.LatencyCell(Peer("a", "O", 7)));
    }

    [Fact]
    public void A_plain_line_names_each_peer_with_height_leader_mark_members_and_latency()
    {
        var model = LiveViewModel.Of([Peer("peer0", "Org1", 7, leader: true, latency: 12), Peer("peer1", "Org1", 6), Peer("peer2", "Org1", 0, up: false)],
            20, TimeSpan.FromSeconds(3.2), ordererHeight: 8);

        var line = model.PlainLine();

        Assert.StartsWith("   3.2s  0/3 peers at height 20, orderer at 8 |", line);
        Assert.EndsWith("| peer0=7*(4,12ms) peer1=6(4) peer2=down", line);
    }

    [Fact]
    public void The_progress_key_changes_with_a_height_or_a_leader_but_not_with_time_or_latency()
    {
        var before = LiveViewModel.Of([Peer("a", "O", 5, latency: 10)], 9, TimeSpan.FromSeconds(1));
        var later = LiveViewModel.Of([Peer("a", "O", 5, latency: 30)], 9, TimeSpan.FromSeconds(2));
        var higher = LiveViewModel.Of([Peer("a", "O", 6)], 9, TimeSpan.FromSeconds(2));
        var leader = LiveViewModel.Of([Peer("a", "O", 5, leader: true)], 9, TimeSpan.FromSeconds(2));

        Assert.Equal(before.ProgressKey, later.ProgressKey);
        Assert.NotEqual(before.ProgressKey, higher.ProgressKey);
        Assert.NotEqual(before.ProgressKey, leader.ProgressKey);
    }
}

public sealed class LiveViewModelStartingTests
{
    [Fact]
    public void While_starting_the_headline_counts_the_peers_that_answer()
    {
        var model = LiveViewModel.Of([new PeerView("a", "O", true, 0, false, 0, null), new PeerView("b", "O", false, 0, false, 0, null)],
            0, TimeSpan.FromSeconds(2));

        Assert.Equal("   2.0s  starting: 1/2 peers answer", model.Headline);
    }
}
