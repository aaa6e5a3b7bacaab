using GossipActors.Channels;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>
/// State transfer between peers of one actor system: a new peer, a restarted peer and a cut-off peer catch up; a
/// block gone from every gossip store comes back; a peer that serves forged blocks is rejected and dropped for the round.
/// </summary>
public sealed class ChannelStateTransferSpec : ChannelSpecBase
{
    private static readonly StateTransferOptions Fast = new(true, CheckInterval: TimeSpan.FromMilliseconds(500),
        ResponseTimeout: TimeSpan.FromSeconds(2), BatchSize: 10, MaxRetries: 3, Window: 20, MaxResponseBytes: 1 << 20);

    private readonly List<Block> _chain = [];

    private static ChannelOptions WithStateTransfer(StateTransferOptions stateTransfer, int storeSize = 10) =>
        new(Channel, ["Org1"], "OrdererOrg", FastDissemination with { MaxBlockCountToStore = storeSize }, FastStateInfo,
            PayloadBufferSize: stateTransfer.Window, StateTransfer: stateTransfer);

    private void Start(string name, ChannelOptions? options = null, Func<string, IBlockLedger>? ledgers = null,
        GossipActors.Crypto.NodeIdentity? identity = null, ulong incarnation = 1) =>
        Net.Start("Org1", name, ["p1"], joins: [options ?? WithStateTransfer(Fast)], ledgers: ledgers, identity: identity, incarnation: incarnation);

    /// <summary>Injects the next <paramref name="count"/> blocks of the test chain at <paramref name="peer"/>.</summary>
    private void InjectNext(string peer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var number = (ulong)_chain.Count;
            var block = BlockAt(number, number == 0 ? ByteString.Empty : BlockHashes.HeaderHash(_chain[^1]));
            _chain.Add(block);
            var result = Inject(peer, block);
            Assert.True(result.Accepted, result.Detail);
        }
    }

    private StateTransferCountersSnapshot Transfer(string peer) => Status(peer).Counters.StateTransfer!;

    [Fact]
    public void A_brand_new_peer_catches_up_from_zero_by_state_transfer()
    {
        Start("p1");
        Start("p2");
        AwaitChannelViews(["p1", "p2"], TimeSpan.FromSeconds(10));
        InjectNext("p1", 45);
        AwaitHeight(["p1", "p2"], 45, TimeSpan.FromSeconds(15));

        Start("p3");

        AwaitHeight(["p3"], 45, TimeSpan.FromSeconds(20), Hex(_chain[^1]));
        var transfer = Transfer("p3");
        Assert.True(transfer.BlocksReceived >= 35, $"p3 received {transfer.BlocksReceived} blocks by state transfer");
        Assert.Equal(0, transfer.BadResponses);
        Assert.True(Transfer("p1").BlocksServed + Transfer("p2").BlocksServed >= transfer.BlocksReceived);
    }

    [Fact]
    public void A_peer_stopped_for_100_blocks_catches_up_after_its_restart()
    {
        var ledgers = new Dictionary<string, IBlockLedger>();
        IBlockLedger LedgerOf(string channel) => ledgers.TryGetValue(channel, out var held) ? held : ledgers[channel] = new InMemoryBlockLedger(channel);
        Start("p1");
        Start("p2");
        Start("p3", ledgers: LedgerOf);
        var identity = Net.Identity("p3");
        AwaitChannelViews(["p1", "p2", "p3"], TimeSpan.FromSeconds(10));
        InjectNext("p1", 5);
        AwaitHeight(["p1", "p2", "p3"], 5, TimeSpan.FromSeconds(10));

        Net.Stop("p3", this);
        InjectNext("p1", 100);
        AwaitHeight(["p1", "p2"], 105, TimeSpan.FromSeconds(20));
        Start("p3", ledgers: LedgerOf, identity: identity, incarnation: 2);

        AwaitHeight(["p3"], 105, TimeSpan.FromSeconds(30), Hex(_chain[^1]));
        Assert.True(Transfer("p3").BlocksReceived >= 50, $"p3 received {Transfer("p3").BlocksReceived} blocks by state transfer");
    }

    [Fact]
    public void A_peer_cut_off_for_100_blocks_catches_up_after_healing()
    {
        var peers = new[] { "p1", "p2", "p3" };
        foreach (var peer in peers)
        {
            Start(peer);
        }
        AwaitChannelViews(peers, TimeSpan.FromSeconds(10));
        Net.Partition(["p3"], ["p1", "p2"]);
        AwaitCommQuiet(peers);

        InjectNext("p1", 100);
        AwaitHeight(["p1", "p2"], 100, TimeSpan.FromSeconds(20));
        Assert.Equal(0UL, Status("p3").Height);
        Net.Partition(["p3"], ["p1", "p2"], heal: true);

        AwaitHeight(["p3"], 100, TimeSpan.FromSeconds(30), Hex(_chain[^1]));
        Assert.True(Transfer("p3").BlocksReceived >= 80, $"p3 received {Transfer("p3").BlocksReceived} blocks by state transfer");
    }

    [Fact]
    public void A_block_evicted_from_every_gossip_store_comes_back_through_state_transfer()
    {
        // Stores hold the last 2 blocks: after 5 blocks, blocks 0..2 are in no store; p3 pulls 3 and 4 but cannot commit them.
        var options = WithStateTransfer(Fast, storeSize: 2);
        var peers = new[] { "p1", "p2", "p3" };
        foreach (var peer in peers)
        {
            Start(peer, options);
        }
        AwaitChannelViews(peers, TimeSpan.FromSeconds(10));
        Net.Partition(["p3"], ["p1", "p2"]);
        AwaitCommQuiet(peers);
        InjectNext("p1", 5);
        AwaitHeight(["p1", "p2"], 5, TimeSpan.FromSeconds(10));

        Net.Partition(["p3"], ["p1", "p2"], heal: true);

        AwaitHeight(["p3"], 5, TimeSpan.FromSeconds(20), Hex(_chain[^1]));
        Assert.True(Transfer("p3").BlocksReceived >= 3, $"p3 received {Transfer("p3").BlocksReceived} blocks by state transfer");
    }

    [Fact]
    public void A_peer_serving_forged_blocks_is_rejected_counted_and_not_asked_again_in_the_round()
    {
        // A long round: the liar stays excluded for the whole test.
        var options = WithStateTransfer(Fast with { CheckInterval = TimeSpan.FromMinutes(5) });
        var forger = Pki.Stranger();
        var forged = new InMemoryBlockLedger(Channel);
        var previous = ByteString.Empty;
        for (ulong n = 0; n < 60; n++)
        {
            var block = BlockFactory.Create(Channel, n, previous, [ByteString.CopyFromUtf8($"forged {n}")], forger);
            Assert.Equal(LedgerAppendOutcome.Committed, forged.Append(block));
            previous = BlockHashes.HeaderHash(block);
        }
        Start("p1", options);
        Start("liar", options, ledgers: _ => forged);
        AwaitChannelViews(["p1", "liar"], TimeSpan.FromSeconds(10));
        InjectNext("p1", 30);
        AwaitHeight(["p1"], 30, TimeSpan.FromSeconds(10));

        Start("p3", options);

        // Blocks 0..29 come from p1; 30..59 only the liar claims, and what it sends is refused.
        AwaitHeight(["p3"], 30, TimeSpan.FromSeconds(20), Hex(_chain[^1]));
        AwaitAssert(() => Assert.True(Transfer("p3").BadResponses >= 1), Dilated(TimeSpan.FromSeconds(10)));
        var transfer = Transfer("p3");
        Assert.Equal(1, transfer.BadResponses); // later answers of the liar are to requests already written off
        Assert.True(Status("p3").Counters.BadBlocksByReason.GetValueOrDefault(nameof(BlockRejection.UnknownOrderer)) >= 1);
        // p1 (at 30) also asks the liar for 30..59 and refuses it the same way. Each of the two honest peers sent the
        // liar at most the requests in flight when its first answer was refused (Window / BatchSize = 2), never more.
        AwaitAssert(() => Assert.Equal(1, Transfer("p1").BadResponses), Dilated(TimeSpan.FromSeconds(10)));
        Assert.InRange(Transfer("liar").BlocksServed, 1, 2 * 2 * Fast.BatchSize);
        Assert.Equal(30UL, Status("p3").Height);
    }

    [Fact]
    public void A_peer_of_another_member_org_catches_up_from_this_org_by_state_transfer()
    {
        GossipActors.Discovery.AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        var twoOrgs = WithStateTransfer(Fast) with { Orgs = ["Org1", "Org2"] };
        Net.Start("Org1", "p1", ["p1"], anchors, joins: [twoOrgs]);
        InjectNext("p1", 25);
        AwaitHeight(["p1"], 25, TimeSpan.FromSeconds(10));

        Net.Start("Org2", "q1", ["q1"], anchors, joins: [twoOrgs]);

        // Blocks never travel across orgs by gossip: all 25 come by state transfer.
        AwaitHeight(["q1"], 25, TimeSpan.FromSeconds(20), Hex(_chain[^1]));
        Assert.Equal(25, Transfer("q1").BlocksReceived);
        Assert.Equal(25, Transfer("p1").BlocksServed);
    }

    [Fact]
    public void With_state_transfer_disabled_a_new_peer_stays_behind_while_an_enabled_one_catches_up()
    {
        Start("p1");
        InjectNext("p1", 30);
        AwaitHeight(["p1"], 30, TimeSpan.FromSeconds(10));

        Start("off", WithStateTransfer(Fast with { Enabled = false }));
        Start("on");

        AwaitHeight(["on"], 30, TimeSpan.FromSeconds(20));
        AwaitAssert(() => Assert.Contains(Status("off").Peers, p => p.Height == 30), Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(0UL, Status("off").Height);
        Assert.Equal(0, Transfer("off").Requests);
    }
}
