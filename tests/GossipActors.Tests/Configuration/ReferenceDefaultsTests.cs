using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

public sealed class ReferenceDefaultsTests
{
    private static readonly PeerSettings Defaults = PeerSettings.FromConfig(ReferenceConfig.Load());

    public static TheoryData<string> Keys => [.. ExpectedDefaults.ByKey.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public void ReferenceConf_Default_IsThePinnedValue(string key)
    {
        var (expected, actual) = ExpectedDefaults.ByKey[key];

        Assert.Equal(expected, actual(Defaults));
    }

    [Fact]
    public void ReferenceConf_EveryPeerKey_HasAPinnedDefault()
    {
        var keys = ReferenceKeys.Leaves();

        Assert.Empty(keys.Except(ExpectedDefaults.ByKey.Keys));
    }

    [Fact]
    public void ReferenceConf_Defaults_AreTheDynamicElectionOfTheSeeds()
    {
        Assert.True(Defaults.Election.UseLeaderElection && !Defaults.Election.OrgLeader);
        Assert.True(Defaults.StateTransfer.Enabled && Defaults.Delivery.BlockGossipEnabled);
    }

    [Fact]
    public void PeerSettingsDefault_EqualsTheReferenceConf()
    {
        Assert.Equal(Defaults.Gossip.PropagatePeerNum, PeerSettings.Default.Gossip.PropagatePeerNum);
        Assert.Same(PeerSettings.Default.Election, ElectionSettings.Default);
    }
}
