using GossipActors.Channels;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>Eight Org1 peers on one channel: injected blocks reach every peer, by push or, after a cut, by pull.</summary>
public sealed class ChannelSpec : ChannelSpecBase
{
    private static readonly string[] Peers = Names("p", 8);

    [Theory]
    [InlineData(DisseminationMode.Enhanced)]
    [InlineData(DisseminationMode.Fabric)]
    public void A_block_injected_at_one_of_eight_peers_reaches_all_eight(DisseminationMode mode)
    {
        StartOrg1(Peers, mode);
        AwaitChannelViews(Peers, TimeSpan.FromSeconds(10));
        var commits = CreateTestProbe();
        Sys.EventStream.Subscribe(commits.Ref, typeof(BlockCommitted));

        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p3", genesis).Accepted);
        AwaitHeight(Peers, 1, TimeSpan.FromSeconds(10), Hex(genesis));
        // Every peer announced its commit of block 0 once on the event stream.
        var committed = commits.ReceiveN(Peers.Length).Cast<BlockCommitted>().ToList();
        Assert.All(committed, c => Assert.Equal(0UL, c.Number));
        Assert.Equal(Peers.Length, committed.Select(c => c.Peer).Distinct().Count());

        var next = BlockAt(1, GossipActors.Protocol.BlockHashes.HeaderHash(genesis));
        Assert.True(Inject("p6", next).Accepted);
        AwaitHeight(Peers, 2, TimeSpan.FromSeconds(10), Hex(next));

        Assert.All(Peers, p => Assert.Equal(0, Status(p).Counters.BadBlocks));
        // Heights travel in state info: every peer learns that the others are at 2.
        AwaitAssert(() => Assert.All(Status("p1").Peers, peer => Assert.Equal(2UL, peer.Height)), Dilated(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_peer_cut_off_during_the_push_gets_the_block_by_pull_after_healing()
    {
        StartOrg1(Peers);
        AwaitChannelViews(Peers, TimeSpan.FromSeconds(10));
        var others = Peers.Where(p => p != "p8").ToArray();
        Net.Partition(["p8"], others);
        AwaitCommQuiet(Peers);

        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p1", genesis).Accepted);
        AwaitHeight(others, 1, TimeSpan.FromSeconds(10), Hex(genesis));
        Assert.Equal(0UL, Status("p8").Height);

        Net.Partition(["p8"], others, heal: true);
        AwaitHeight(["p8"], 1, TimeSpan.FromSeconds(15), Hex(genesis));
        Assert.True(Status("p8").Counters.FullCopiesReceived >= 1);
    }
}
