using GossipActors.Channels;
using GossipActors.Simulation;
using Xunit;

namespace GossipActors.Tests.Simulation;

public sealed class DisseminationSimulationTests
{
    // A store of 100 lets pull fill what push missed; 5 s of warm-up let the state info of 40 peers spread (every peer
    // publishes and pulls each second).
    private static DisseminationSimulationOptions Small(DisseminationMode mode, int seed = 3) => new()
    {
        Peers = 40,
        Blocks = 20,
        Mode = mode,
        Seed = seed,
        BlockBytes = 512,
        MaxBlockCountToStore = 100,
        StateInfo = new StateInfoSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100)),
        Warmup = TimeSpan.FromSeconds(5),
    };

    [Theory]
    [InlineData(DisseminationMode.Enhanced)]
    [InlineData(DisseminationMode.Fabric)]
    public void EveryPeerCommitsEveryBlock_DespiteFivePercentLoss(DisseminationMode mode)
    {
        var report = DisseminationSimulation.Run(Small(mode) with { LossRate = 0.05 });

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.Equal(report.Blocks, report.BlocksFullyDelivered);
        Assert.Empty(report.Incomplete);
        Assert.True(report.MessagesDropped > 0);
    }

    [Theory]
    [InlineData(DisseminationMode.Enhanced)]
    [InlineData(DisseminationMode.Fabric)]
    public void BlocksInjectedDuringAPartition_ReachTheOtherSideAfterItHeals(DisseminationMode mode)
    {
        // All 20 blocks leave the orderer between 5 s and 6.9 s, while the two halves cannot talk; pull catches up after.
        var options = Small(mode) with { Partition = (TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(8)) };

        var report = DisseminationSimulation.Run(options);

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.True(report.TimeTo100MaxMs > 1_000, $"a partition must delay someone, max was {report.TimeTo100MaxMs} ms");
    }

    [Fact]
    public void SameSeed_GivesTheSameFigures_AnotherSeedOthers()
    {
        var a = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced, seed: 5) with { LossRate = 0.05 });
        var b = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced, seed: 5) with { LossRate = 0.05 });
        var c = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced, seed: 6) with { LossRate = 0.05 });

        Assert.Equal(a with { WallTime = default, Incomplete = [] }, b with { WallTime = default, Incomplete = [] });
        Assert.Equal(a.Incomplete, b.Incomplete);
        Assert.NotEqual(a.MessagesSent, c.MessagesSent);
    }

    [Fact]
    public void CpuPerMessage_DelaysEachHop()
    {
        // Three peers, constant 10 ms links: the leader pushes each block straight to both others (one hop), so no
        // random straggler (recovered later by pull or state transfer) can decide the median.
        var options = Small(DisseminationMode.Enhanced) with { Peers = 3, Jitter = TimeSpan.Zero };
        var free = DisseminationSimulation.Run(options with { Costs = MessageCosts.Free });
        // 2 ms of Akka per message, 1 ms at each side: the hop waits for its sender's and its receiver's CPU.
        var slow = DisseminationSimulation.Run(options with { Costs = MessageCosts.Free with { AkkaUs = 2_000 } });

        Assert.Equal(0, free.CpuMsPerPeerPerBlock);
        Assert.Equal(10, free.TimeTo100P50Ms, precision: 3);
        Assert.True(slow.TimeTo100P50Ms >= free.TimeTo100P50Ms + 2,
            $"p50 with CPU {slow.TimeTo100P50Ms} ms, without {free.TimeTo100P50Ms} ms");
    }

    [Fact]
    public void WakeUpsPerMessage_AddAtMostTheirCostPerMessageToTheSimulatedCpu()
    {
        var free = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free });
        var woken = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free with { WakeUpUs = 1_000 } });

        // 1 ms per message, half at each side, charged only to a side that was idle: between a third of the messages
        // (most land on idle peers at one block every 100 ms) and all of them.
        var perMessage = woken.CpuMsPerPeerPerBlock / woken.MessagesPerPeerPerBlock;
        Assert.Equal(0, free.CpuMsPerPeerPerBlock);
        Assert.InRange(perMessage, 0.33, 1.0);
    }

    [Fact]
    public void AnIdlePeersCpu_IsChargedThroughoutTheRun_ButDoesNotQueueItsMessages()
    {
        var options = Small(DisseminationMode.Enhanced);
        var free = DisseminationSimulation.Run(options with { Costs = MessageCosts.Free });
        var idle = DisseminationSimulation.Run(options with { Costs = MessageCosts.Free with { IdleUsPerSecond = 10_000 } });

        // 10 ms per second per peer, a block every 100 ms: 1 ms per peer per block (the run goes on a little after the
        // last block).
        Assert.InRange(idle.CpuMsPerPeerPerBlock, 1.0, 1.5);
        // A core per peer: the idle work runs beside the peer's actors, not in their queue.
        Assert.Equal(free.TimeTo100P50Ms, idle.TimeTo100P50Ms);
    }

    [Fact]
    public void PeersSharingOneCore_AreSlowerThanPeersWithACoreEach()
    {
        // Without wake-ups, whose count depends on how often a peer is idle, so on the cores.
        var own = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = Sleepless });
        var shared = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { SharedCores = 1, Costs = Sleepless });

        // About the same work (timing shifts a few messages: state info pulls and their answers), done on one core
        // instead of one per peer.
        Assert.InRange(shared.CpuMsPerPeerPerBlock, own.CpuMsPerPeerPerBlock * 0.85, own.CpuMsPerPeerPerBlock * 1.2);
        Assert.True(shared.TimeTo100P50Ms > own.TimeTo100P50Ms,
            $"p50 on one shared core {shared.TimeTo100P50Ms} ms, with a core each {own.TimeTo100P50Ms} ms");
    }

    [Fact]
    public void BytesOnTheWire_IncludeTheFrameOverhead()
    {
        var bare = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free });
        var framed = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free with { FrameOverheadBytes = 1_000 } });

        // Same traffic (no CPU either way), each message 1,000 bytes larger.
        Assert.Equal(bare.MessagesSent, framed.MessagesSent);
        Assert.True(framed.BytesPerPeerPerBlock > bare.BytesPerPeerPerBlock + 1_000 * bare.MessagesPerPeerPerBlock * 0.9,
            $"framed {framed.BytesPerPeerPerBlock} B, bare {bare.BytesPerPeerPerBlock} B, {bare.MessagesPerPeerPerBlock} msgs/peer/block");
    }

    [Fact]
    public void ABlockSomePeerNeverGets_CountsAsNeverAndStallsItsLaterCommits()
    {
        // The halves are cut while all blocks leave the orderer at peer 0 and for 10 s after; with a store of one
        // block and no state transfer, pull can bring the odd half only the last block, never the earlier ones: they
        // commit nothing.
        var options = EvictedDuringAPartition() with { StateTransfer = NoStateTransfer };

        var report = DisseminationSimulation.Run(options);

        Assert.Equal(0, report.BlocksFullyDelivered);
        Assert.Equal(double.PositiveInfinity, report.TimeTo100P50Ms);
        // The odd half commits nothing (and with a store of one block the even half stalls too at its first gap).
        Assert.True(report.DeliveredFraction <= 0.5, $"delivered {report.DeliveredFraction}");
        Assert.Contains(report.Incomplete, x => x.Block == 0 && x.MissingPeers >= 20);
        Assert.Contains("never", report.TableRow);
    }

    [Fact]
    public void ABlockEvictedFromEveryGossipStore_ComesBackByStateTransfer()
    {
        // As above, but with state transfer (the default): the odd half fetches what no gossip store holds any more
        // from the ledgers of the even half once the partition heals.
        var report = DisseminationSimulation.Run(EvictedDuringAPartition());

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.Equal(report.Blocks, report.BlocksFullyDelivered);
        Assert.True(report.StateTransferBlocks >= 20 * 19, $"blocks by state transfer: {report.StateTransferBlocks}");
        Assert.True(report.TimeTo100MaxMs > 10_000, $"the odd half waits for the heal, max was {report.TimeTo100MaxMs} ms");
    }

    [Fact]
    public void ALateJoiner_CatchesUpByStateTransfer()
    {
        // The last peer joins with an empty ledger when block 15 leaves the orderer; gossip stores hold 5 blocks, so
        // at least 10 of the earlier blocks can only come from other peers' ledgers.
        var options = Small(DisseminationMode.Enhanced) with { Blocks = 30, MaxBlockCountToStore = 5, LateJoinerAtBlock = 15 };

        var report = DisseminationSimulation.Run(options);

        var late = Assert.IsType<LateJoinerReport>(report.LateJoiner);
        Assert.NotNull(late.CatchUp);
        Assert.Equal(30UL, late.FinalHeight);
        Assert.True(late.BlocksByStateTransfer >= 10, $"late joiner got {late.BlocksByStateTransfer} blocks by state transfer");
        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.Empty(report.Incomplete);
        Assert.Contains("Late joiner: joined at", report.ToTable());
    }

    [Fact]
    public void ALateJoiner_WithoutStateTransfer_NeverCommitsTheBlocksBeforeIt()
    {
        var options = Small(DisseminationMode.Enhanced) with
        {
            Blocks = 30, MaxBlockCountToStore = 5, LateJoinerAtBlock = 15, StateTransfer = NoStateTransfer,
        };

        var report = DisseminationSimulation.Run(options);

        var late = Assert.IsType<LateJoinerReport>(report.LateJoiner);
        Assert.Null(late.CatchUp);
        Assert.Equal(0UL, late.FinalHeight);
        Assert.Equal(0, late.BlocksByStateTransfer);
    }

    [Fact]
    public void ALateJoiner_CatchesUpIdenticallyWithTheSameSeed()
    {
        var options = Small(DisseminationMode.Enhanced, seed: 9) with { Blocks = 30, MaxBlockCountToStore = 5, LateJoinerAtBlock = 15 };

        var a = DisseminationSimulation.Run(options);
        var b = DisseminationSimulation.Run(options);

        Assert.Equal(a.LateJoiner, b.LateJoiner);
        Assert.Equal(a.StateTransferRequests, b.StateTransferRequests);
        Assert.Equal(a.TimeTo100P99Ms, b.TimeTo100P99Ms);
    }

    [Fact]
    public void StorageCostPerBatch_DelaysEveryCommit()
    {
        var free = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free });
        // 20 ms per ledger write: a block counts as committed only once its batch is written.
        var slowDisk = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { Costs = MessageCosts.Free with { StoreUsPerBatch = 20_000 } });

        // At least most of one write (a later batch may overlap an earlier block's wait by a few ms).
        Assert.True(slowDisk.TimeTo100P50Ms >= free.TimeTo100P50Ms + 15,
            $"p50 with a 20 ms write {slowDisk.TimeTo100P50Ms} ms, free {free.TimeTo100P50Ms} ms");
        Assert.Equal(1.0, slowDisk.DeliveredFraction);
    }

    [Fact]
    public void ALoadedMachine_StretchesEveryHop()
    {
        var quiet = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { SharedCores = 2, Costs = Sleepless });
        var loaded = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced) with { SharedCores = 2, Costs = Sleepless with { CpuStretch = 10 } });

        Assert.InRange(loaded.CpuMsPerPeerPerBlock, quiet.CpuMsPerPeerPerBlock * 8, quiet.CpuMsPerPeerPerBlock * 13);
        Assert.True(loaded.TimeTo100P50Ms > quiet.TimeTo100P50Ms * 2,
            $"p50 stretched x10 {loaded.TimeTo100P50Ms} ms, quiet {quiet.TimeTo100P50Ms} ms");
    }

    /// <summary>The measured costs without wake-ups and idle CPU: the work per message does not depend on timing.</summary>
    private static readonly MessageCosts Sleepless = new() { WakeUpUs = 0, WakeUpUsPerKiB = 0, IdleUsPerSecond = 0 };

    private static readonly GossipActors.Ledger.StateTransferOptions NoStateTransfer =
        new DisseminationSimulationOptions().EffectiveStateTransfer with { Enabled = false };

    private static DisseminationSimulationOptions EvictedDuringAPartition() => Small(DisseminationMode.Enhanced) with
    {
        MaxBlockCountToStore = 1,
        Partition = (TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(17)),
        Drain = TimeSpan.FromSeconds(30),
    };
}
