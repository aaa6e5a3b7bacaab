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
        var peers = Directory.EnumerateFiles(Path.Combine(HoconDirectory(), "two-org"), "*.conf")
            .Select(f => PeerSettings.FromConfig(PeerConfig.LoadFile(f, NoEnvironment)))
            .ToList();
        var anchors = peers.Where(p => p.Gossip.ExternalEndpoint.Length > 0).ToDictionary(p => p.LocalMspId, p => p.Gossip.ExternalEndpoint);

        Assert.Equal(["Org1", "Org2"], anchors.Keys.Order());
        Assert.All(peers, p => Assert.Equal(anchors.Where(a => a.Key != p.LocalMspId).Select(a => a.Value), p.Gossip.AnchorPeers));
        Assert.All(peers, p => Assert.Equal(["Org1", "Org2"], Assert.Single(p.Channels).Orgs));
        Assert.Equal(peers.Count, peers.Select(p => p.Address).Distinct().Count());
        Assert.Equal(peers.Count, peers.Select(p => p.Operations.ListenAddress).Distinct().Count());
    }
}
