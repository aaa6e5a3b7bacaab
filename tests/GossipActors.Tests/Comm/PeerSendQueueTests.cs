using GossipActors.Comm;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Comm;

public sealed class PeerSendQueueTests
{
    private static SignedEnvelope Envelope(int n) => new() { Payload = ByteString.CopyFrom(BitConverter.GetBytes(n)) };

    private static int Number(SignedEnvelope envelope) => BitConverter.ToInt32(envelope.Payload.Span);

    [Fact]
    public void A_full_queue_drops_the_oldest_waiting_envelope_and_counts_it()
    {
        var queue = new PeerSendQueue(capacity: 3, window: 2);
        for (var i = 1; i <= 5; i++)
        {
            queue.Enqueue(Envelope(i));
        }
        Assert.Equal(2, queue.Dropped);
        Assert.Equal([3, 4], queue.TakeSendable().Select(Number));
    }

    [Fact]
    public void At_most_a_window_is_in_flight_until_acknowledged()
    {
        var queue = new PeerSendQueue(capacity: 10, window: 2);
        for (var i = 1; i <= 5; i++)
        {
            queue.Enqueue(Envelope(i));
        }
        Assert.Equal([1, 2], queue.TakeSendable().Select(Number));
        Assert.Empty(queue.TakeSendable());
        Assert.True(queue.Acknowledge(1));
        Assert.Equal([3], queue.TakeSendable().Select(Number));
        Assert.False(queue.Acknowledge(1));
    }

    [Fact]
    public void Forgetting_in_flight_envelopes_reopens_a_stalled_window()
    {
        var queue = new PeerSendQueue(capacity: 10, window: 2);
        for (var i = 1; i <= 4; i++)
        {
            queue.Enqueue(Envelope(i));
        }
        queue.TakeSendable();
        queue.ForgetInFlight();
        Assert.Equal(0, queue.InFlight);
        Assert.Equal([3, 4], queue.TakeSendable().Select(Number));
    }
}
