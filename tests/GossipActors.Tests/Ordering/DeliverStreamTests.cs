using GossipActors.Ordering;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>A deliver stream never has more than its window of blocks unacknowledged.</summary>
public sealed class DeliverStreamTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_stream_sends_at_most_its_window_until_the_client_acknowledges()
    {
        var stream = new DeliverStream("ch", start: 0, window: 4, Now);

        Assert.Equal((0UL, 4), stream.TakeSendable(height: 10));
        Assert.Equal((4UL, 0), stream.TakeSendable(height: 10));
        Assert.Equal(4, stream.InFlight);

        stream.OnAck(1, Now);
        Assert.Equal(2, stream.InFlight);
        Assert.Equal((4UL, 2), stream.TakeSendable(height: 10));
        Assert.Equal(4, stream.InFlight);
    }

    [Fact]
    public void A_stream_sends_only_blocks_that_exist_and_continues_as_the_chain_grows()
    {
        var stream = new DeliverStream("ch", start: 3, window: 16, Now);

        Assert.Equal((3UL, 2), stream.TakeSendable(height: 5));
        Assert.Equal((5UL, 0), stream.TakeSendable(height: 5));
        Assert.Equal((5UL, 1), stream.TakeSendable(height: 6));
    }

    [Fact]
    public void Stale_acknowledgements_change_nothing_and_keepalives_only_refresh_the_clock()
    {
        var stream = new DeliverStream("ch", start: 0, window: 4, Now);
        stream.TakeSendable(height: 10);
        stream.OnAck(2, Now);

        stream.OnAck(1, Now);
        stream.OnAck(null, Now.AddSeconds(5));

        Assert.Equal(1, stream.InFlight);
        Assert.Equal(Now.AddSeconds(5), stream.LastHeard);
    }

    [Fact]
    public void An_acknowledgement_beyond_what_was_sent_moves_the_stream_past_it()
    {
        var stream = new DeliverStream("ch", start: 0, window: 2, Now);
        stream.TakeSendable(height: 10);

        stream.OnAck(6, Now);

        Assert.Equal(0, stream.InFlight);
        Assert.Equal((7UL, 2), stream.TakeSendable(height: 10));
    }
}
