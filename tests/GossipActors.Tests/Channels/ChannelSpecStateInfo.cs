using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Prometheus;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>State info across restarts, leaving, and the channel's metrics.</summary>
public sealed class ChannelSpecStateInfo : ChannelSpecBase
{
    /// <summary>Views must hold still over seconds here: liveness scaled by the time factor.</summary>
    public ChannelSpecStateInfo()
        : base(stableViews: true)
    {
    }

    private static readonly string[] Org1 = Names("p", 4);

    /// <summary>
    /// A ledger that survives its channel actor's restarts and fails its next write once when told to, as a disk
    /// would (a crash seam): the ledger actor escalates, and the channel actor is restarted by its parent.
    /// </summary>
    private sealed class CrashableLedger(IBlockLedger inner) : IBlockLedger
    {
        public bool CrashNext { get; set; }
        public bool Crashed { get; private set; }
        public string Channel => inner.Channel;
        public ulong Height => inner.Height;
        public ByteString LastHash => inner.LastHash;
        public LedgerAppendOutcome Append(Block block) => CrashNext ? Crash<LedgerAppendOutcome>() : inner.Append(block);
        public int AppendBatch(IReadOnlyList<LedgerBlock> blocks) => CrashNext ? Crash<int>() : inner.AppendBatch(blocks);
        public Block? Get(ulong number) => inner.Get(number);
        public IReadOnlyList<ByteString> ReadRange(ulong from, ulong to, long maxBytes) => inner.ReadRange(from, to, maxBytes);
        public void Dispose() { }

        private T Crash<T>()
        {
            CrashNext = false;
            Crashed = true;
            throw new IOException("test: the disk failed under the channel's ledger");
        }
    }

    [Fact]
    public void A_restarted_channel_actor_publishes_state_info_the_others_accept_and_never_drops_out_of_their_views()
    {
        var ledger = new CrashableLedger(new InMemoryBlockLedger(Channel));
        foreach (var name in Org1)
        {
            Net.Start("Org1", name, ["p1"], joins: [ChannelOf(DisseminationMode.Enhanced, ["Org1"])],
                ledgers: name == "p4" ? _ => ledger : null);
        }
        AwaitChannelViews(Org1, TimeSpan.FromSeconds(10));
        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p1", genesis).Accepted);
        AwaitHeight(Org1, 1, TimeSpan.FromSeconds(10));
        AwaitAssert(() => Assert.Equal(1ul, Status("p1").Peers.Single(p => p.Id == Net.Identity("p4").PkiId).Height),
            Dilated(TimeSpan.FromSeconds(5)));

        // p4's write of block 1 fails: its channel actor is restarted by its parent (a new actor, sequence forgotten),
        // reopens the ledger at height 1 and fetches block 1 again.
        ledger.CrashNext = true;
        var next = BlockAt(1, BlockHashes.HeaderHash(genesis));
        Assert.True(Inject("p1", next).Accepted);
        AwaitHeight(["p4"], 2, TimeSpan.FromSeconds(20));
        Assert.True(ledger.Crashed);
        // The others take p4's new height: its restarted actor's sequence is beyond the ones it sent before.
        foreach (var peer in new[] { "p1", "p2", "p3" })
        {
            AwaitAssert(() => Assert.Equal(2ul, Status(peer).Peers.Single(p => p.Id == Net.Identity("p4").PkiId).Height),
                Dilated(TimeSpan.FromSeconds(5)), TimeSpan.FromMilliseconds(100));
        }
        // And keep it: over several publish and pull intervals p4 stays in every view.
        for (var i = 0; i < 10; i++)
        {
            Assert.All(new[] { "p1", "p2", "p3" }, peer => Assert.Contains(Status(peer).Peers, p => p.Id == Net.Identity("p4").PkiId));
            ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        }
    }

    [Fact]
    public void A_peer_that_leaves_serves_no_pull_and_is_in_no_view_and_nobody_sends_it_blocks()
    {
        StartOrg1(Org1);
        AwaitChannelViews(Org1, TimeSpan.FromSeconds(10));
        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p1", genesis).Accepted);
        AwaitHeight(Org1, 1, TimeSpan.FromSeconds(10));
        // Before leaving, p4 serves pull: a hello from p1 is answered.
        var answeredBefore = Status("p4").Counters.HellosAnswered;
        DeliverAsFrom("p1", "p4", new GossipMessage { Channel = Channel, Hello = new GossipHello { Nonce = 7, MsgType = PullMsgType.BlockMsg } });
        AwaitAssert(() => Assert.True(Status("p4").Counters.HellosAnswered > answeredBefore), Dilated(TimeSpan.FromSeconds(5)));

        Net["p4"].Tell(new LeaveChannel(Channel), TestActor);
        ExpectMsg<ChannelLeft>(Dilated(TimeSpan.FromSeconds(5)));
        var stayers = Org1.Where(p => p != "p4").ToArray();
        AwaitChannelViews(stayers, TimeSpan.FromSeconds(5));
        ExpectNoMsg(Dilated(TimeSpan.FromMilliseconds(500))); // what was in flight when the others learned it left
        var droppedAtLeave = Status("p4").Counters.RejectedFor(ChannelRejection.ChannelLeft);

        var next = BlockAt(1, BlockHashes.HeaderHash(genesis));
        Assert.True(Inject("p1", next).Accepted);
        AwaitHeight(stayers, 2, TimeSpan.FromSeconds(10), Hex(next));
        // Several pull and state info intervals later: nobody sent p4 anything, and a hello to it goes unanswered.
        ExpectNoMsg(Dilated(TimeSpan.FromMilliseconds(1500)));
        var left = Status("p4");
        Assert.True(droppedAtLeave == left.Counters.RejectedFor(ChannelRejection.ChannelLeft),
            $"p4 got {left.Counters.RejectedFor(ChannelRejection.ChannelLeft) - droppedAtLeave} channel messages after everyone knew it left");
        DeliverAsFrom("p1", "p4", new GossipMessage { Channel = Channel, Hello = new GossipHello { Nonce = 8, MsgType = PullMsgType.BlockMsg } });
        AwaitAssert(() => Assert.Equal(droppedAtLeave + 1, Status("p4").Counters.RejectedFor(ChannelRejection.ChannelLeft)),
            Dilated(TimeSpan.FromSeconds(5)));
        Assert.Equal(left.Counters.HellosAnswered, Status("p4").Counters.HellosAnswered);
        Assert.Equal(1ul, Status("p4").Height);
        Assert.All(stayers, p => Assert.DoesNotContain(Status(p).Peers, peer => peer.Id == Net.Identity("p4").PkiId));
    }

    [Fact]
    public async Task The_channel_counters_appear_in_the_peers_metrics()
    {
        StartOrg1(Org1);
        AwaitChannelViews(Org1, TimeSpan.FromSeconds(10));
        Assert.True(Inject("p1", BlockAt(0, ByteString.Empty)).Accepted);
        AwaitHeight(Org1, 1, TimeSpan.FromSeconds(10));
        DeliverAsFrom("p1", "p2", new GossipMessage { Channel = Channel, StateSnapshot = new StateInfoSnapshot { Nonce = 99 } });
        AwaitAssert(() => Assert.True(Status("p2").Counters.RejectedFor(ChannelRejection.UnsolicitedSnapshot) >= 1), Dilated(TimeSpan.FromSeconds(5)));
        var unsolicited = Status("p2").Counters.RejectedFor(ChannelRejection.UnsolicitedSnapshot);

        using var stream = new MemoryStream();
        await Net.Metrics("p2").CollectAndExportAsTextAsync(stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains("gossip_state_height{channel=\"ch\"} 1", text);
        Assert.Contains($"gossip_channel_rejected_total{{channel=\"ch\",reason=\"UnsolicitedSnapshot\"}} {unsolicited}", text);
        Assert.Contains("gossip_channel_full_copies_received_total{channel=\"ch\"}", text);
        Assert.Contains("gossip_channel_digests_received_total{channel=\"ch\"}", text);
        Assert.Contains("gossip_channel_duplicate_blocks_total{channel=\"ch\"}", text);
        Assert.Contains("gossip_channel_state_info_sent_total{channel=\"ch\"}", text);
    }
}
