using Akka.Configuration;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

public sealed class EnvironmentOverridesTests
{
    private static readonly Config User = ConfigurationFactory.ParseString("""
        peer.gossip.useLeaderElection = false
        peer.gossip.orgLeader = false
        peer.gossip.election.leaderAliveThreshold = 20s
        peer.gossip.bootstrap = ["peer1.org1:7051"]
        """);

    private static PeerSettings Load(Config? user, params (string Name, string Value)[] environment) =>
        PeerSettings.FromConfig(PeerConfig.Load(user, environment.ToDictionary(e => e.Name, e => e.Value)));

    [Fact]
    public void BoolVariable_BeatsUserHocon()
    {
        var settings = Load(User, ("CORE_PEER_GOSSIP_ORGLEADER", "true"));

        Assert.True(settings.Election.OrgLeader);
    }

    [Fact]
    public void DurationVariable_BeatsUserHocon()
    {
        var settings = Load(User, ("CORE_PEER_GOSSIP_ELECTION_LEADERALIVETHRESHOLD", "3s"));

        Assert.Equal(TimeSpan.FromSeconds(3), settings.Election.LeaderAliveThreshold);
    }

    [Fact]
    public void ListVariable_SpaceSeparated_BeatsUserHocon()
    {
        var settings = Load(User, ("CORE_PEER_GOSSIP_BOOTSTRAP", "a:7051 b:7051"));

        Assert.Equal(["a:7051", "b:7051"], settings.Gossip.Bootstrap);
    }

    [Fact]
    public void ListVariable_CommaSeparated_IsSplit()
    {
        var settings = Load(null, ("CORE_PEER_GOSSIP_ANCHORPEERS", "peer0.org2:9051, peer0.org3:11051"));

        Assert.Equal(["peer0.org2:9051", "peer0.org3:11051"], settings.Gossip.AnchorPeers);
    }

    [Fact]
    public void ListVariable_Empty_MeansEmptyList()
    {
        var settings = Load(User, ("CORE_PEER_GOSSIP_BOOTSTRAP", ""));

        Assert.Empty(settings.Gossip.Bootstrap);
    }

    [Fact]
    public void VariableName_IsMatchedCaseInsensitively()
    {
        var settings = Load(null, ("core_peer_gossip_useLeaderElection", "false"));

        Assert.False(settings.Election.UseLeaderElection);
    }

    [Fact]
    public void VariableOverHocon_ReachesKeysOnlyInReferenceConf()
    {
        var settings = Load(null, ("CORE_PEER_LOCALMSPID", "Org1MSP"), ("CORE_PEER_GOSSIP_STATE_ENABLED", "false"));

        Assert.Equal("Org1MSP", settings.LocalMspId);
        Assert.False(settings.StateTransfer.Enabled);
    }

    [Fact]
    public void FabricOperationsVariable_SetsOurOperationsKey()
    {
        var settings = Load(null, ("CORE_OPERATIONS_LISTENADDRESS", "127.0.0.1:0"));

        Assert.Equal("127.0.0.1:0", settings.Operations.ListenAddress);
    }

    [Fact]
    public void MetricsProviderVariable_SetsFabricsTopLevelMetricsKey()
    {
        var settings = Load(null, ("CORE_METRICS_PROVIDER", "disabled"));

        Assert.False(settings.Operations.MetricsEnabled);
    }

    [Fact]
    public void Variables_that_name_no_key_are_reported_with_the_closest_one()
    {
        var config = PeerConfig.Load(User, new Dictionary<string, string>());
        var environment = new Dictionary<string, string>
        {
            ["CORE_PEER_GOSSIP_ALIVETIMEINTERVALL"] = "1s",
            ["CORE_PEER_GOSSIP_ALIVETIMEINTERVAL"] = "1s",
            ["CORE_VM_ENDPOINT"] = "unix:///var/run/docker.sock",
            ["PATH"] = "/usr/bin",
        };

        var unknown = EnvironmentOverrides.UnknownVariables(config, environment);

        Assert.Equal(2, unknown.Count);
        Assert.Contains(unknown, u => u.Variable == "CORE_PEER_GOSSIP_ALIVETIMEINTERVALL" && u.DidYouMean == "CORE_PEER_GOSSIP_ALIVETIMEINTERVAL");
        Assert.Contains(unknown, u => u.Variable == "CORE_VM_ENDPOINT" && u.DidYouMean is null);
    }

    [Fact]
    public void UnrelatedVariables_AreIgnored()
    {
        var settings = Load(User, ("PATH", "/usr/bin"), ("CORE_PEER_NOSUCHKEY", "1"), ("PEER_GOSSIP_ORGLEADER", "true"));

        Assert.False(settings.Election.OrgLeader);
    }

    [Fact]
    public void InvalidVariable_IsReportedUnderItsHoconKey()
    {
        var error = Assert.Throws<SettingsException>(() => Load(User, ("CORE_PEER_GOSSIP_PULLPEERNUM", "many")));

        Assert.Equal("peer.gossip.pullPeerNum", error.Key);
        Assert.Equal("many", error.Value);
    }

    [Fact]
    public void ValueWithQuotesAndBackslashes_IsTakenLiterally()
    {
        var settings = Load(null, ("CORE_PEER_ID", "peer \"0\" \\ org1"));

        Assert.Equal("peer \"0\" \\ org1", settings.Id);
    }

    [Fact]
    public void VariableName_IsCorePlusPathUpperCasedWithUnderscores()
    {
        Assert.Equal("CORE_PEER_GOSSIP_USELEADERELECTION", EnvironmentOverrides.VariableName("peer.gossip.useLeaderElection"));
    }
}
