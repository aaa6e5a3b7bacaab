using GossipActors.Comm;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Comm;

/// <summary>The rate limiter of repeated warnings, on a virtual clock.</summary>
public sealed class WarningRateLimiterTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void The_first_warning_per_key_passes_repeats_within_the_interval_are_held_and_counted()
    {
        var limiter = new WarningRateLimiter(TimeSpan.FromMinutes(1));

        Assert.True(limiter.ShouldLog("peer-a|NotChannelPeer", _clock.GetUtcNow(), out var suppressed));
        Assert.Equal(0, suppressed);
        for (var i = 0; i < 14; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(4)); // a pull round every 4 s, as in the two-org sample
            Assert.False(limiter.ShouldLog("peer-a|NotChannelPeer", _clock.GetUtcNow(), out _));
        }
        Assert.True(limiter.ShouldLog("peer-b|NotChannelPeer", _clock.GetUtcNow(), out _)); // another sender is its own key

        _clock.Advance(TimeSpan.FromSeconds(4)); // 60 s after the first
        Assert.True(limiter.ShouldLog("peer-a|NotChannelPeer", _clock.GetUtcNow(), out suppressed));
        Assert.Equal(14, suppressed);
    }

    [Fact]
    public void Memory_stays_bounded_and_new_keys_beyond_capacity_are_suppressed_until_old_ones_expire()
    {
        var limiter = new WarningRateLimiter(TimeSpan.FromMinutes(1), capacity: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.ShouldLog($"k{i}", _clock.GetUtcNow(), out _));
        }

        Assert.False(limiter.ShouldLog("k3", _clock.GetUtcNow(), out _));
        Assert.Equal(1, limiter.SuppressedUntracked);
        Assert.Equal(3, limiter.TrackedKeys);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.ShouldLog("k3", _clock.GetUtcNow(), out _));
        Assert.Equal(1, limiter.TrackedKeys);
    }
}
