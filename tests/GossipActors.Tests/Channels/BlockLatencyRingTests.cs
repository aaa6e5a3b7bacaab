using GossipActors.Channels;
using Xunit;

namespace GossipActors.Tests.Channels;

public sealed class BlockLatencyRingTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    [Fact]
    public void The_last_block_latency_is_commit_time_minus_cut_time()
    {
        var ring = new BlockLatencyRing();
        ring.Record(0, 999_990, Epoch);
        ring.Record(1, 999_950, Epoch);

        Assert.Equal(50, ring.Last!.LatencyMs);
        Assert.Equal(1_000_000UL, ring.Last.CommittedUnixMs);
    }

    [Fact]
    public void A_block_without_cut_time_has_no_latency()
    {
        var ring = new BlockLatencyRing();
        ring.Record(0, 0, Epoch);

        Assert.Null(ring.Last!.LatencyMs);
    }

    [Fact]
    public void The_ring_keeps_only_the_most_recent_blocks_oldest_first()
    {
        var ring = new BlockLatencyRing(capacity: 3);
        for (ulong n = 0; n < 5; n++)
        {
            ring.Record(n, 1, Epoch);
        }

        Assert.Equal(3, ring.Count);
        Assert.Equal([2UL, 3UL, 4UL], ring.Recent().Select(b => b.Number));
    }

    [Fact]
    public void An_empty_ring_has_no_last_block()
    {
        var ring = new BlockLatencyRing();

        Assert.Null(ring.Last);
        Assert.Empty(ring.Recent());
    }
}
