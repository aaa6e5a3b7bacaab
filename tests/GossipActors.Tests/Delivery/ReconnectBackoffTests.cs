using GossipActors.Delivery;
using Xunit;

namespace GossipActors.Tests.Delivery;

/// <summary>The delivery client's reconnection delays and its one unreachable report per outage.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_delay_doubles_from_100_ms_up_to_reConnectBackoffThreshold()
    {
        var backoff = new ReconnectBackoff(maxDelay: TimeSpan.FromSeconds(1), totalTimeThreshold: TimeSpan.FromHours(1));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.OnFailure(Start).Delay.TotalMilliseconds).ToList();

        Assert.Equal([100.0, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void The_orderer_is_reported_unreachable_once_after_reconnectTotalTimeThreshold_and_again_only_after_a_new_outage()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), totalTimeThreshold: TimeSpan.FromSeconds(10));

        Assert.Null(backoff.OnFailure(Start).Unreachable);
        Assert.Null(backoff.OnFailure(Start.AddSeconds(9)).Unreachable);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.OnFailure(Start.AddSeconds(10)).Unreachable);
        Assert.Null(backoff.OnFailure(Start.AddSeconds(20)).Unreachable);

        backoff.OnConnected();
        Assert.Equal(100, backoff.OnFailure(Start.AddSeconds(30)).Delay.TotalMilliseconds);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.OnFailure(Start.AddSeconds(40)).Unreachable);
    }
}
