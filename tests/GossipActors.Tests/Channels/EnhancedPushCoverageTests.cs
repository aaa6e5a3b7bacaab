using GossipActors.Channels;
using GossipActors.Protocol.Wire;
using Xunit;
using Xunit.Abstractions;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>
/// Enhanced push and digests alone (pull far off) over links with jitter: copies of a block arrive out of hop order,
/// so a peer may first hear a late, low-TTL digest and only then an early, high-TTL copy; and a fan-out of a few
/// random peers leaves about e^-digestPeerNum of the peers without any copy or digest. Every peer must still get
/// every block that a later block follows, without pull (the gap is requested at once).
/// </summary>
public sealed class EnhancedPushCoverageTests(ITestOutputHelper output)
{
    private static readonly DisseminationCoreSettings NoPull = new() { PullInterval = TimeSpan.FromHours(1), MaxBlockCountToStore = 1000 };

    [Theory]
    [InlineData(100, 1)]
    [InlineData(100, 2)]
    [InlineData(300, 3)]
    public void Push_and_digests_reach_every_peer_without_pull_despite_jitter(int peers, int seed)
    {
        const int Blocks = 60;
        var random = new Random(seed);
        var cores = Enumerable.Range(0, peers).Select(i => Core(NoPull, peers, i, seed * 1000 + i)).ToArray();
        var indexOf = Enumerable.Range(0, peers).ToDictionary(Peer);
        var events = new PriorityQueue<Action, (DateTimeOffset, long)>();
        var now = T0;
        long order = 0;

        void Carry(int from, DisseminationOutput result)
        {
            foreach (var send in result.Sends)
            {
                // 10 ms plus an exponential jitter of mean 5 ms: copies overtake each other.
                var at = now + TimeSpan.FromMilliseconds(10 - 5 * Math.Log(1 - random.NextDouble()));
                var to = indexOf[send.Target];
                var message = send.Message;
                events.Enqueue(() => Carry(to, Deliver(cores[to], Peer(from), message, now)), (at, order++));
            }
        }

        for (var b = 0; b < Blocks; b++)
        {
            var number = (ulong)b;
            events.Enqueue(() => Carry(0, cores[0].Inject(number, Block(number), now)), (T0 + TimeSpan.FromMilliseconds(100 * b), order++));
        }
        while (events.TryDequeue(out var action, out var key))
        {
            now = key.Item1;
            action();
        }

        // The last block has no later one to reveal a gap: it is pull's (or state info's) to recover; not counted.
        var missing = Enumerable.Range(0, Blocks - 1).Sum(b => cores.Count(c => !c.Has((ulong)b)));
        var copies = cores.Sum(c => c.Counters.DuplicateBlocks) / (double)(peers * Blocks);
        output.WriteLine($"N={peers} seed {seed}: {missing} of {(Blocks - 1) * peers} (block, peer) pairs missing without pull; "
            + $"{cores.Sum(c => c.Counters.GapRequests)} gap requests; duplicates per peer per block {copies:F3}");
        Assert.Equal(0, missing);
    }

    private static DisseminationOutput Deliver(ChannelDissemination core, GossipActors.Crypto.PkiId from, GossipMessage message, DateTimeOffset now) =>
        message.ContentCase == GossipMessage.ContentOneofCase.DataMsg
            ? core.OnDataMessage(from, message.DataMsg, now)
            : core.OnControlMessage(from, message, now) ?? new DisseminationOutput();
}
