using Akka.Configuration;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

public sealed class SettingsValidationTests
{
    private static SettingsException Reject(string hocon) =>
        Assert.Throws<SettingsException>(() => PeerSettings.FromConfig(ConfigurationFactory.ParseString(hocon)));

    private static void AssertNames(SettingsException error, string key, string value, string allowedFragment)
    {
        Assert.Equal(key, error.Key);
        Assert.Equal(value, error.Value);
        Assert.Contains(allowedFragment, error.Allowed, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Allowed, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BothElectionFlagsTrue_IsAnErrorNamingBothKeys()
    {
        var error = Reject("peer.gossip { useLeaderElection = true, orgLeader = true }");

        Assert.Contains("peer.gossip.useLeaderElection", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer.gossip.orgLeader", error.Message, StringComparison.Ordinal);
        Assert.Contains("mutually exclusive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FanoutBelowOne_NamesKeyValueAndMinimum()
    {
        var error = Reject("peer.gossip.propagatePeerNum = 0");

        AssertNames(error, "peer.gossip.propagatePeerNum", "0", "must be an integer >= 1");
        Assert.Equal("peer.gossip.propagatePeerNum = 0 is not allowed: must be an integer >= 1", error.Message);
    }

    [Theory]
    [InlineData("peer.gossip.pullPeerNum")]
    [InlineData("peer.gossip.dissemination.pushPeerNum")]
    [InlineData("peer.gossip.dissemination.pushTtl")]
    [InlineData("peer.gossip.state.batchSize")]
    public void CountBelowOne_IsRejected(string key)
    {
        var error = Reject($"{key} = -2");

        AssertNames(error, key, "-2", ">= 1");
    }

    [Fact]
    public void NegativeRetries_AreRejected_ZeroRetriesAllowed()
    {
        AssertNames(Reject("peer.gossip.state.maxRetries = -1"), "peer.gossip.state.maxRetries", "-1", ">= 0");
        Assert.Equal(0, PeerSettings.FromConfig(ConfigurationFactory.ParseString("peer.gossip.state.maxRetries = 0")).StateTransfer.MaxRetries);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0ms")]
    [InlineData("-5s")]
    public void ZeroOrNegativeDuration_IsRejected(string value)
    {
        var error = Reject($"peer.gossip.election.leaderAliveThreshold = \"{value}\"");

        AssertNames(error, "peer.gossip.election.leaderAliveThreshold", value, "positive duration");
    }

    [Theory]
    [InlineData("10")]
    [InlineData("ten seconds")]
    [InlineData("4x")]
    [InlineData("s4")]
    public void MalformedDuration_IsRejected(string value)
    {
        var error = Reject($"peer.gossip.pullInterval = \"{value}\"");

        Assert.Equal("peer.gossip.pullInterval", error.Key);
        Assert.Contains(value, error.Value, StringComparison.Ordinal);
        Assert.Contains("such as \"4s\"", error.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1500ms", 1500)]
    [InlineData("1.5s", 1500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2 minutes", 120_000)]
    public void HoconAndGoDurations_AreAccepted(string value, int milliseconds)
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString($"peer.gossip.election.startupGracePeriod = \"{value}\""));

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), settings.Election.StartupGracePeriod);
    }

    [Fact]
    public void UnknownDisseminationMode_IsRejected()
    {
        var error = Reject("peer.gossip.dissemination.mode = flood");

        AssertNames(error, "peer.gossip.dissemination.mode", "flood", "enhanced or fabric");
    }

    [Fact]
    public void DisseminationMode_IsCaseInsensitive()
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString("peer.gossip.dissemination.mode = Fabric"));

        Assert.Equal(DisseminationMode.Fabric, settings.Dissemination.Mode);
    }

    [Fact]
    public void BoolThatIsNotABool_IsRejected()
    {
        var error = Reject("peer.gossip.state.enabled = maybe");

        AssertNames(error, "peer.gossip.state.enabled", "maybe", "true or false");
    }

    [Fact]
    public void MalformedEndpoint_IsRejected()
    {
        var error = Reject("peer.gossip.externalEndpoint = \"peer0.org1\"");

        AssertNames(error, "peer.gossip.externalEndpoint", "peer0.org1", "host:port");
    }

    [Fact]
    public void BootstrapWithABadEntry_NamesTheEntry()
    {
        var error = Reject("peer.gossip.bootstrap = [\"a:7051\", \"b:99999\"]");

        Assert.Equal("peer.gossip.bootstrap", error.Key);
        Assert.Contains("b:99999 is not one", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void PullIntervalNotAboveDigestPlusResponseWait_IsRejected()
    {
        var error = Reject("peer.gossip.pullInterval = 3s");

        AssertNames(error, "peer.gossip.pullInterval", "3s", "peer.gossip.digestWaitTime + peer.gossip.responseWaitTime");
    }

    [Fact]
    public void AliveExpirationNotAboveAliveInterval_IsRejected()
    {
        var error = Reject("peer.gossip.aliveExpirationTimeout = 5s");

        AssertNames(error, "peer.gossip.aliveExpirationTimeout", "5s", "peer.gossip.aliveTimeInterval");
    }

    [Fact]
    public void UnknownKey_IsRejectedWithASuggestion()
    {
        var error = Reject("peer.gossip.useLeaderElecton = true");

        Assert.Equal("peer.gossip.useLeaderElecton", error.Key);
        Assert.Contains("did you mean peer.gossip.useLeaderElection?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyInFabricsLowerCase_SuggestsOurSpelling()
    {
        var error = Reject("peer.gossip.orgleader = true");

        Assert.Contains("did you mean peer.gossip.orgLeader?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralProblems_AreReportedTogether()
    {
        var error = Reject("""
            peer.gossip.propagatePeerNum = 0
            peer.gossip.state.enabled = maybe
            peer.gossip.dissemination.mode = flood
            """);

        Assert.Equal(3, error.Problems.Count);
        Assert.StartsWith("3 invalid settings:", error.Message, StringComparison.Ordinal);
        Assert.Contains("peer.gossip.state.enabled = maybe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidChannels_AreRead()
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString("""
            peer.localMspId = Org1MSP
            peer.channels = [ { name = "mychannel", orgs = ["Org1MSP", "Org2MSP"], ordererOrg = "OrdererMSP" } ]
            """));

        var channel = Assert.Single(settings.Channels);
        Assert.Equal("mychannel", channel.Name);
        Assert.Equal(["Org1MSP", "Org2MSP"], channel.Orgs);
        Assert.Equal("OrdererMSP", channel.OrdererOrg);
    }

    [Fact]
    public void ChannelWithoutTheLocalOrg_IsRejected()
    {
        var error = Reject("""
            peer.localMspId = Org1MSP
            peer.channels = [ { name = "mychannel", orgs = ["Org2MSP"], ordererOrg = "OrdererMSP" } ]
            """);

        AssertNames(error, "peer.channels[0].orgs", "[Org2MSP]", "peer.localMspId (Org1MSP)");
    }

    [Fact]
    public void ChannelWithBadName_DuplicateName_OrUnknownField_IsRejected()
    {
        var error = Reject("""
            peer.channels = [
              { name = "MyChannel", orgs = ["SampleOrg"], ordererOrg = "OrdererMSP" }
              { name = "ch", orgs = ["SampleOrg"], ordererOrg = "OrdererMSP", ordererorg = "x" }
              { name = "ch", orgs = ["SampleOrg"], ordererOrg = "OrdererMSP" }
            ]
            """);

        Assert.Contains(error.Problems, p => p.Key == "peer.channels[0].name" && p.Value == "MyChannel");
        Assert.Contains(error.Problems, p => p.Key == "peer.channels[1].ordererorg");
        Assert.Contains(error.Problems, p => p.Key == "peer.channels[2].name" && p.Allowed.Contains("unique", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyEndpoint_FallsBackToAddress_AndEmptyOperationsAddressMeansOff()
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString("""
            peer.address = "127.0.0.1:0"
            operations.listenAddress = ""
            """));

        Assert.Equal("127.0.0.1:0", settings.Gossip.Endpoint);
        Assert.False(settings.Operations.Enabled);
    }
}
