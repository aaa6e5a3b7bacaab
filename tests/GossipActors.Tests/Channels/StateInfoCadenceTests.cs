using GossipActors.Channels;
using GossipActors.Tests.Support;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>
/// State info publication and pulls keep their intervals when the shell's ticks come a little after the deadline it
/// timed them to (the scheduler's resolution, a busy mailbox): the lateness does not add up period after period.
/// </summary>
public sealed class StateInfoCadenceTests
{
    private static readonly StateInfoSettings Timers = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(400));
    private static readonly TimeSpan Late = TimeSpan.FromMilliseconds(7);

    [Fact]
    public void Publications_and_pulls_keep_their_intervals_when_every_tick_comes_7_ms_after_its_deadline()
    {
        var clock = new ManualTimeProvider(T0);
        var m = new ChannelMembership("ch1", Peer(0), "Org1MSP", true, 1, ["Org1MSP"], Timers, clock, new Random(3));
        m.UpdateAlive(Enumerable.Range(1, 5).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)));
        for (var i = 1; i <= 5; i++)
        {
            m.OnStateInfo(new StateInfoFact(Peer(i), "Org1MSP", 1, 1, 1, false), null, T0); // a complete view: steady pulls
        }
        var publications = new List<DateTimeOffset>();
        var pulls = new List<DateTimeOffset>();
        var height = 1ul;
        var now = T0;
        while (now < T0 + TimeSpan.FromSeconds(200))
        {
            m.OnOwnHeight(++height); // a block between any two ticks: every publish slot has a change to publish
            var (publish, pull) = m.Tick(now);
            if (publish is not null)
            {
                publications.Add(now);
            }
            if (pull is not null)
            {
                pulls.Add(now);
            }
            now = m.NextDue!.Value + Late;
            clock.Advance(now - clock.GetUtcNow());
        }

        AssertOnCadence(publications, Timers.PublishInterval);
        AssertOnCadence(pulls.Skip(1).ToList(), Timers.RequestInterval); // the first pull is spread at random, and ends the fill
    }

    /// <summary>Every gap is the interval within the lateness, and the gaps do not add up lateness: the last one
    /// comes (count - 1) intervals after the first, within one lateness.</summary>
    internal static void AssertOnCadence(List<DateTimeOffset> times, TimeSpan interval)
    {
        Assert.True(times.Count >= 20, $"only {times.Count} events");
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, interval - Late, interval + Late));
        var span = times[^1] - times[0];
        Assert.InRange(span, (interval * (times.Count - 1)) - Late, (interval * (times.Count - 1)) + Late);
    }
}
