using GossipActors.Channels;
using Xunit;

namespace GossipActors.Tests.Channels;

public sealed class BlockArrivalsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    [Fact]
    public void The_first_arrival_of_a_block_is_kept_and_later_copies_change_nothing()
    {
        var arrivals = new BlockArrivals();
        arrivals.Note(3, T0, BlockSource.Push);
        arrivals.Note(3, T0.AddSeconds(1), BlockSource.Fetched);

        Assert.Equal((T0, BlockSource.Push), arrivals.Take(3));
        Assert.Equal(0, arrivals.Count);
    }

    [Fact]
    public void A_block_never_noted_came_by_state_transfer()
    {
        Assert.Equal((null, BlockSource.StateTransfer), new BlockArrivals().Take(9));
    }

    [Fact]
    public void Entries_below_the_committed_height_are_forgotten_and_the_map_stays_bounded()
    {
        var arrivals = new BlockArrivals();
        for (ulong n = 0; n < BlockArrivals.Capacity + 10; n++)
        {
            arrivals.Note(n, T0, BlockSource.Push);
        }
        Assert.Equal(BlockArrivals.Capacity, arrivals.Count);
        Assert.Null(arrivals.Take(0).At); // the lowest were dropped first

        arrivals.Forget(BlockArrivals.Capacity);

        Assert.Equal(10, arrivals.Count);
    }
}
