using GossipActors.Channels;
using Xunit;
using Xunit.Abstractions;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>How fast and at what cost heights spread, on a virtual clock (docs/channels.md states the figures).</summary>
public sealed class StateInfoSpreadTests(ITestOutputHelper output)
{
    private static readonly StateInfoSettings Defaults = StateInfoSettings.Default; // 4 s, 4 s, 400 s, fan-out 3
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(50);

    /// <summary>publishStateInfoInterval + requestStateInfoInterval + a request and its response.</summary>
    private static TimeSpan Bound(StateInfoSettings s) => s.PublishInterval + s.RequestInterval + 2 * Latency;

    [Theory]
    [InlineData(30)]
    [InlineData(100)]
    public void A_peer_left_behind_learns_a_higher_height_within_publish_plus_request_interval(int peers)
    {
        var learned = new List<TimeSpan>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var net = new StateInfoNetwork(peers, Defaults, Latency, seed);
            for (var i = 0; i < peers; i++)
            {
                net.SetHeight(i, 1);
            }
            net.RunUntil(T0 + TimeSpan.FromSeconds(60)); // joined: the digest pull walks the ring 32 entries a pull
            Assert.All(Enumerable.Range(1, peers - 1), i => Assert.Equal(1ul, net[0].Peers.HeightOf(Peer(i))));

            // Everyone but peer 0 commits a block at the same moment (a random phase of everyone's timers).
            var start = net.RunUntil(net.Now + TimeSpan.FromMilliseconds(seed * 173 % 4000));
            for (var i = 1; i < peers; i++)
            {
                net.SetHeight(i, 2);
            }
            var at = net.RunUntil(start + Bound(Defaults) + TimeSpan.FromSeconds(10), () => net[0].Peers.MaxHeight >= 2);
            learned.Add(at - start);
        }
        learned.Sort();
        output.WriteLine($"N={peers}: learned after median {learned[learned.Count / 2].TotalMilliseconds} ms, max {learned[^1].TotalMilliseconds} ms; bound {Bound(Defaults).TotalMilliseconds} ms");
        Assert.All(learned, t => Assert.True(t <= Bound(Defaults), $"learned after {t}, bound {Bound(Defaults)}"));
    }

    [Fact]
    public void A_peer_reached_by_no_push_learns_by_its_pull_within_the_bound()
    {
        // Fan-out 1 and 100 peers: a state info reaches 2 peers by push, so peer 0 mostly learns by pulling.
        var settings = Defaults with { Fanout = 1 };
        var learned = new List<TimeSpan>();
        for (var seed = 1; seed <= 20; seed++)
        {
            var net = new StateInfoNetwork(100, settings, Latency, seed);
            for (var i = 0; i < 100; i++)
            {
                net.SetHeight(i, 1);
            }
            var start = net.RunUntil(T0 + TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(seed * 211 % 4000));
            for (var i = 1; i < 100; i++)
            {
                net.SetHeight(i, 2);
            }
            var at = net.RunUntil(start + TimeSpan.FromSeconds(30), () => net[0].Peers.MaxHeight >= 2);
            learned.Add(at - start);
        }
        output.WriteLine($"fan-out 1: max {learned.Max().TotalMilliseconds} ms");
        Assert.All(learned, t => Assert.True(t <= Bound(settings), $"learned after {t}, bound {Bound(settings)}"));
    }

    [Fact]
    public void State_info_messages_per_peer_per_block_do_not_grow_with_the_channel()
    {
        var small = Cost(100);
        var large = Cost(300);

        output.WriteLine($"N=100: {small.Messages:F2} messages, {small.Bytes:F0} bytes per peer per block");
        output.WriteLine($"N=300: {large.Messages:F2} messages, {large.Bytes:F0} bytes per peer per block");
        Assert.InRange(large.Messages / small.Messages, 0.8, 1.25);
    }

    /// <summary>Blocks every second for 40 s, all peers committing each at once; state info traffic per peer per block.</summary>
    private static (double Messages, double Bytes) Cost(int peers)
    {
        var net = new StateInfoNetwork(peers, Defaults, Latency, seed: 5);
        net.RunUntil(T0 + TimeSpan.FromSeconds(20)); // joined, converged
        var (messages, bytes) = (net.Messages, net.Bytes);
        const int Blocks = 40;
        for (ulong b = 1; b <= Blocks; b++)
        {
            for (var i = 0; i < peers; i++)
            {
                net.SetHeight(i, b);
            }
            net.RunUntil(net.Now + TimeSpan.FromSeconds(1));
        }
        return ((net.Messages - messages) / (double)(peers * Blocks), (net.Bytes - bytes) / (double)(peers * Blocks));
    }
}
