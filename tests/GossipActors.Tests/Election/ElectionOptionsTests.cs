using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Election;
using GossipActors.Hosting;
using Xunit;

namespace GossipActors.Tests.Election;

/// <summary>Every peer.gossip election key reaches the election actor of every channel.</summary>
public sealed class ElectionOptionsTests
{
    [Fact]
    public void Every_election_key_is_carried_to_the_channels_election_options()
    {
        var settings = PeerSettings.FromConfig(ConfigurationFactory.ParseString("""
            peer.gossip {
              useLeaderElection = false
              orgLeader = true
              election { startupGracePeriod = 7s, membershipSampleInterval = 700ms, leaderAliveThreshold = 3s, leaderElectionDuration = 1200ms, fastFailover = false }
            }
            peer.channels = [{ name = "ch", orgs = ["SampleOrg"], ordererOrg = "OrdererOrg" }]
            """));

        var election = Assert.Single(SettingsMapping.ToChannels(settings)).Election!;

        Assert.Equal(new ElectionOptions(false, true, new ElectionCoreSettings
        {
            StartupGracePeriod = TimeSpan.FromSeconds(7),
            MembershipSampleInterval = TimeSpan.FromMilliseconds(700),
            LeaderAliveThreshold = TimeSpan.FromSeconds(3),
            LeaderElectionDuration = TimeSpan.FromMilliseconds(1200),
            FastFailover = false,
        }), election);
    }

    [Fact]
    public void The_defaults_are_the_dynamic_election_with_fabrics_timers_and_fast_failover()
    {
        var election = ElectionOptions.From(ElectionSettings.Default);

        Assert.Equal(ElectionOptions.Dynamic(new ElectionCoreSettings()), election);
    }
}
