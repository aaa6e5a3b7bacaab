using GossipActors.Node.Network;
using Xunit;

namespace GossipActors.Tests.Network;

public sealed class RunBreakdownTests
{
    [Fact]
    public void The_time_to_all_peers_is_split_into_the_leaders_receive_and_commit_the_others_arrivals_by_source_and_the_last_peer()
    {
        var peers = new Dictionary<string, IReadOnlyList<PeerBlockTime>>
        {
            ["leader"] = [new(7, 1000, 1012, 1010, "Orderer")],
            ["pushed"] = [new(7, 1000, 1032, 1030, "Push")],
            ["fetched"] = [new(7, 1000, 1075, 1070, "Fetched")],
            ["caughtUp"] = [new(7, 1000, 1050, 0, "StateTransfer")],
        };

        var breakdown = RunBreakdown.From([7], peers);

        Assert.Equal((1, 10.0), (breakdown.OrdererToPuller.Count, breakdown.OrdererToPuller.P50Ms));
        Assert.Equal(2, breakdown.PullerCommit.P50Ms);
        Assert.Equal(["Fetched", "Push"], breakdown.ArrivalBySource.Keys);
        Assert.Equal(30, breakdown.ArrivalBySource["Push"].P50Ms);
        Assert.Equal(70, breakdown.ArrivalBySource["Fetched"].P50Ms);
        Assert.Equal(2, breakdown.CommitAfterArrival.Count); // the state-transfer copy has no arrival time
        Assert.Equal(1, breakdown.LastPeerSources["Fetched"]);
        Assert.Equal(70, breakdown.LastPeerArrival.P50Ms);
        Assert.Equal(5, breakdown.LastPeerCommit.P50Ms);
    }

    [Fact]
    public void A_block_some_peer_lacks_is_left_out()
    {
        var peers = new Dictionary<string, IReadOnlyList<PeerBlockTime>>
        {
            ["a"] = [new(7, 1000, 1012, 1010, "Orderer"), new(8, 1100, 1112, 1110, "Orderer")],
            ["b"] = [new(7, 1000, 1020, 1018, "Push")],
        };

        var breakdown = RunBreakdown.From([7, 8], peers);

        Assert.Equal(1, breakdown.OrdererToPuller.Count);
        Assert.Equal(1, breakdown.LastPeerSources.Values.Sum());
    }
}
