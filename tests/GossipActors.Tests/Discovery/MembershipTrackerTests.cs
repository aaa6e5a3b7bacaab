using GossipActors.Discovery;
using Xunit;
using static GossipActors.Tests.Discovery.MembershipTestPeers;

namespace GossipActors.Tests.Discovery;

/// <summary>peer.gossip.membershipTrackerInterval: what the shell logs each interval.</summary>
public sealed class MembershipTrackerTests
{
    [Fact]
    public void Reports_who_went_online_and_offline_since_the_last_check_and_nothing_when_unchanged()
    {
        var tracker = new MembershipTracker();

        var first = tracker.Check([Alive(1), Alive(2)]);
        Assert.Equal([Id(1), Id(2)], first!.WentOnline.Select(r => r.PkiId));
        Assert.Empty(first.WentOffline);

        Assert.Null(tracker.Check([Alive(2, seq: 5), Alive(1, seq: 3)]));

        var second = tracker.Check([Alive(2), Alive(3)]);
        Assert.Equal(Id(3), Assert.Single(second!.WentOnline).PkiId);
        Assert.Equal(Id(1), Assert.Single(second.WentOffline).PkiId);
        Assert.Contains("went online: [", second.ToString(), StringComparison.Ordinal);
        Assert.Contains("peer3:7051", second.ToString(), StringComparison.Ordinal);
    }
}
