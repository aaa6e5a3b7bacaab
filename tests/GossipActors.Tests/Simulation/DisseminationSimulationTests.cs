using GossipActors.Channels;
using GossipActors.Simulation;
using Xunit;

namespace GossipActors.Tests.Simulation;

public sealed class DisseminationSimulationTests
{
    private static DisseminationSimulationOptions Small(DisseminationMode mode, int seed = 3) => new()
    {
        Peers = 40,
        Blocks = 20,
        Mode = mode,
        Seed = seed,
        BlockBytes = 512,
    };

    [Theory]
    [InlineData(DisseminationMode.Enhanced)]
    [InlineData(DisseminationMode.Fabric)]
    public void EveryPeerGetsEveryBlock_DespiteFivePercentLoss(DisseminationMode mode)
    {
        var report = DisseminationSimulation.Run(Small(mode) with { LossRate = 0.05 });

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.Equal(report.Blocks, report.BlocksFullyDelivered);
        Assert.True(report.MessagesDropped > 0);
    }

    [Theory]
    [InlineData(DisseminationMode.Enhanced)]
    [InlineData(DisseminationMode.Fabric)]
    public void BlocksInjectedDuringAPartition_ReachTheOtherSideAfterItHeals(DisseminationMode mode)
    {
        // All 20 blocks are injected between 1 s and 2.9 s, while the two halves cannot talk; pull catches up after.
        var options = Small(mode) with { Partition = (TimeSpan.Zero, TimeSpan.FromSeconds(3)) };

        var report = DisseminationSimulation.Run(options);

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.True(report.HopDelayMax > 100, $"a partition of 2 s must delay someone, max was {report.HopDelayMax} d");
    }

    [Fact]
    public void EnhancedMode_IsFast_AndSendsAboutOneCopyPerPeer()
    {
        var report = DisseminationSimulation.Run(Small(DisseminationMode.Enhanced));

        Assert.Equal(1.0, report.DeliveredFraction);
        Assert.True(report.HopDelayMax <= 8, $"max hop-delay {report.HopDelayMax} d");
        Assert.True(report.CopiesPerPeerMean <= 1.1, $"copies per peer {report.CopiesPerPeerMean}");
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
}
