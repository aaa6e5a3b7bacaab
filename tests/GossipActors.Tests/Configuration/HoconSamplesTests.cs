using Akka.Configuration;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Configuration;

/// <summary>Every sample deployment in the repository's hocon/ directory loads and validates.</summary>
public sealed class HoconSamplesTests
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    public static TheoryData<string> Samples => [.. SampleFiles().Select(f => Path.GetRelativePath(HoconDirectory(), f))];

    internal static string HoconDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "hocon");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "GossipActors.sln")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No hocon/ directory beside GossipActors.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Peer samples: every .conf but the orderer's (see OrdererSettingsTests).</summary>
    private static IEnumerable<string> SampleFiles() =>
        Directory.EnumerateFiles(HoconDirectory(), "*.conf", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith("orderer", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static PeerSettings Load(string relativePath) =>
        PeerSettings.FromConfig(PeerConfig.LoadFile(Path.Combine(HoconDirectory(), relativePath), NoEnvironment));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_LoadsAndValidates(string relativePath)
    {
        var settings = Load(relativePath);

        Assert.NotEmpty(settings.Channels);
        Assert.All(settings.Channels, c => Assert.Equal(["127.0.0.1:7050"], c.Orderers));
    }

    [Fact]
    public void Samples_IncludeEveryDeploymentKind()
    {
        var samples = SampleFiles().Select(f => Path.GetRelativePath(HoconDirectory(), f).Replace('\\', '/')).ToList();

        Assert.Contains("peer.conf", samples);
        Assert.Contains("static-election-leader.conf", samples);
        Assert.Contains("static-election-standby.conf", samples);
        Assert.Contains("dynamic-election.conf", samples);
        Assert.Equal(4, samples.Count(s => s.StartsWith("two-org/", StringComparison.Ordinal)));
    }

    [Fact]
    public void StaticSamples_AreOneLeaderAndOneStandby()
    {
        var leader = Load("static-election-leader.conf").Election;
        var standby = Load("static-election-standby.conf").Election;

        Assert.True(leader.IsStaticLeader);
        Assert.False(standby.UseLeaderElection || standby.OrgLeader);
    }

    [Fact]
    public void TwoOrgSamples_PointAtEachOthersAnchorPeers_OnOneSharedChannel()
    {
        var peers = Directory.EnumerateFiles(Path.Combine(HoconDirectory(), "two-org"), "org*.conf")
            .Select(f => PeerSettings.FromConfig(PeerConfig.LoadFile(f, NoEnvironment)))
            .ToList();
        var anchors = peers.Where(p => p.Gossip.ExternalEndpoint.Length > 0).ToDictionary(p => p.LocalMspId, p => p.Gossip.ExternalEndpoint);

        Assert.Equal(["Org1", "Org2"], anchors.Keys.Order());
        Assert.All(peers, p => Assert.Equal(anchors.Where(a => a.Key != p.LocalMspId).Select(a => a.Value), p.Gossip.AnchorPeers));
        Assert.All(peers, p => Assert.Equal(["Org1", "Org2"], Assert.Single(p.Channels).Orgs));
        Assert.Equal(peers.Count, peers.Select(p => p.Address).Distinct().Count());
        Assert.Equal(peers.Count, peers.Select(p => p.Operations.ListenAddress).Distinct().Count());
    }

    private static Config Raw(string relativePath) =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(HoconDirectory(), relativePath)));

    [Fact]
    public void The_peer_sample_writes_out_every_setting_of_reference_conf_as_core_yaml_does()
    {
        var sample = Raw("peer.conf");

        var missing = ReferenceKeys.Leaves().Where(key => !sample.HasPath(key)).ToList();

        Assert.Empty(missing);
        Assert.True(ReferenceKeys.Leaves().Count > 60, "the walk over reference.conf found too few keys to mean anything");
    }

    [Fact]
    public void The_orderer_sample_writes_out_every_orderer_setting_of_reference_conf()
    {
        var sample = Raw("orderer.conf");
        var reference = ReferenceConfig.Load();
        var leaves = HoconLeaves.Under(reference, "orderer").Select(l => l.Path).ToList();

        Assert.Contains("orderer.Operations.ListenAddress", leaves);
        Assert.DoesNotContain(leaves, key => !sample.HasPath(key));
        Assert.Equal("127.0.0.1:8443", OrdererSettings.FromConfig(sample).OperationsListenAddress);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_peer_sample_sets_its_operations_address_at_the_top_level_as_Fabric_does(string relativePath)
    {
        var sample = Raw(relativePath);

        Assert.True(sample.HasPath("operations.listenAddress"), $"{relativePath} has no top-level operations.listenAddress");
        Assert.False(sample.HasPath("peer.operations"), $"{relativePath} uses the alias peer.operations");
    }

    [Fact]
    public void The_two_org_orderer_serves_the_channel_of_the_two_org_peers_at_the_endpoint_they_pull_from()
    {
        var orderer = OrdererSettings.FromConfig(Raw("two-org/orderer.conf"));
        var peers = Directory.EnumerateFiles(Path.Combine(HoconDirectory(), "two-org"), "org*.conf")
            .Select(f => PeerSettings.FromConfig(PeerConfig.LoadFile(f, NoEnvironment)))
            .ToList();

        Assert.Equal(4, peers.Count);
        Assert.All(peers, p =>
        {
            var channel = Assert.Single(p.Channels);
            Assert.Equal(orderer.Channels[channel.Name].Order(), channel.Orgs.Order());
            Assert.Equal([orderer.Endpoint], channel.Orderers);
            Assert.Equal(orderer.LocalMspId, channel.OrdererOrg);
        });
        var listeners = peers.SelectMany(p => new[] { p.Address, p.OrgCluster.Address, p.Operations.ListenAddress })
            .Concat([orderer.Endpoint, orderer.OperationsListenAddress]).ToList();
        Assert.Equal(listeners.Count, listeners.Distinct().Count());
    }
}
