using GossipActors.Discovery;
using Xunit;
using static GossipActors.Tests.Discovery.MembershipTestPeers;

namespace GossipActors.Tests.Discovery;

/// <summary>
/// The alive cadence under the actor's periodic tick, which arrives a few milliseconds off its grid (scheduling
/// jitter): the alive goes out every aliveTimeInterval, as in Fabric, and not one tick late whenever a tick comes a
/// little earlier relative to its grid than the one that sent the previous alive.
/// </summary>
public sealed class MembershipCadenceTests
{
    /// <summary>Ticks the core as the shell's periodic timer does for <paramref name="span"/> of virtual time: tick k
    /// at k × TickInterval plus a lateness drawn (seeded) from [minLateMs, maxLateMs]; returns when each alive went out.</summary>
    private static List<DateTimeOffset> AliveTimes(MembershipSettings settings, TimeSpan span, int minLateMs, int maxLateMs, int seed)
    {
        var core = Core(settings: settings);
        var jitter = new Random(seed);
        var sent = new List<DateTimeOffset>();
        var sequence = core.Self.Sequence;
        core.Tick(T0); // the shell's first tick, at start
        for (var k = 0; T0 + (settings.TickInterval * k) <= T0 + span; k++)
        {
            var now = k == 0 ? T0 : T0 + (settings.TickInterval * k) + TimeSpan.FromMilliseconds(jitter.Next(minLateMs, maxLateMs + 1));
            if (k > 0)
            {
                core.Tick(now);
            }
            if (core.Self.Sequence != sequence)
            {
                sequence = core.Self.Sequence;
                sent.Add(now);
            }
        }
        return sent;
    }

    [Theory]
    [InlineData(1000, 5000, 0, 3)]     // tick 0.5 s, ticks up to 3 ms late
    [InlineData(1000, 5000, -3, 0)]    // tick 0.5 s, ticks up to 3 ms early
    [InlineData(1000, 25000, 0, 3)]    // tick = alive interval (1 s)
    [InlineData(5000, 25000, 0, 10)]   // Fabric's defaults: tick 2.5 s, the scheduler's 10 ms resolution
    public void The_own_alive_goes_out_every_alive_interval_when_ticks_arrive_a_few_milliseconds_off_their_grid(
        int aliveMs, int expirationMs, int minLateMs, int maxLateMs)
    {
        var settings = new MembershipSettings
        {
            AliveInterval = TimeSpan.FromMilliseconds(aliveMs),
            AliveExpirationTimeout = TimeSpan.FromMilliseconds(expirationMs),
        };
        var span = TimeSpan.FromSeconds(60);

        var sent = AliveTimes(settings, span, minLateMs, maxLateMs, seed: 7);

        var expected = (int)(span / settings.AliveInterval) + 1; // at 0, then every interval up to 60 s inclusive
        Assert.InRange(sent.Count, expected - 1, expected);
        var slack = TimeSpan.FromMilliseconds(Math.Max(Math.Abs(minLateMs), Math.Abs(maxLateMs)) * 2);
        Assert.All(sent.Zip(sent.Skip(1)), pair =>
            Assert.InRange(pair.Second - pair.First, settings.AliveInterval - slack, settings.AliveInterval + slack));
    }

    [Fact]
    public void After_a_stall_of_several_intervals_the_alive_does_not_burst_to_catch_up()
    {
        var settings = new MembershipSettings { AliveInterval = TimeSpan.FromSeconds(1), AliveExpirationTimeout = TimeSpan.FromSeconds(5) };
        var core = Core(settings: settings);
        core.Tick(T0);
        core.Tick(T0 + TimeSpan.FromSeconds(10)); // the actor was stalled for 10 s: one alive now
        var afterStall = core.Self.Sequence;

        core.Tick(T0 + TimeSpan.FromSeconds(10.5));
        Assert.Equal(afterStall, core.Self.Sequence);
        core.Tick(T0 + TimeSpan.FromSeconds(11));
        Assert.NotEqual(afterStall, core.Self.Sequence);
    }

    [Fact]
    public void Cadence_counts_the_next_deadline_from_when_work_was_due_and_from_now_after_a_whole_interval_late()
    {
        var interval = TimeSpan.FromSeconds(1);
        var due = T0;

        Assert.Equal(T0 + interval, Cadence.Next(due, T0 + TimeSpan.FromMilliseconds(3), interval));
        Assert.Equal(T0 + interval, Cadence.Next(due, T0 - TimeSpan.FromMilliseconds(3), interval));
        Assert.Equal(T0 + TimeSpan.FromSeconds(3), Cadence.Next(due, T0 + TimeSpan.FromSeconds(2), interval));
        Assert.Equal(T0 + interval, Cadence.Next(null, T0, interval));
        Assert.True(Cadence.IsDue(null, T0));
        Assert.True(Cadence.IsDue(due, T0 - TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(5)));
        Assert.False(Cadence.IsDue(due, T0 - TimeSpan.FromMilliseconds(3)));
    }
}
