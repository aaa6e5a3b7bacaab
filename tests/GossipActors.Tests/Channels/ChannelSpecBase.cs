using Akka.Actor;

using GossipActors.Channels;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>
/// Peers with a channel "ch" in one actor system, with scaled-down membership, pull and state-info timers; every message
/// between them is serialized as between processes (<see cref="WireCheckedSpec"/>).
/// </summary>
public abstract class ChannelSpecBase : WireCheckedSpec
{
    protected const string Channel = "ch";

    protected static readonly MembershipSettings FastTimers = new()
    {
        AliveInterval = TimeSpan.FromMilliseconds(200),
        AliveExpirationTimeout = TimeSpan.FromMilliseconds(1500),
        ReconnectInterval = TimeSpan.FromMilliseconds(400),
        AntiEntropyInterval = TimeSpan.FromMilliseconds(600),
    };

    protected static readonly DisseminationCoreSettings FastDissemination = new()
    {
        PullInterval = TimeSpan.FromMilliseconds(600),
        DigestWaitTime = TimeSpan.FromMilliseconds(100),
        RequestWaitTime = TimeSpan.FromMilliseconds(200),
        ResponseWaitTime = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>
    /// Peers join "ch" with Org1 as its only member org unless <see cref="StartOrg1"/> says otherwise. With
    /// <paramref name="stableViews"/>, a peer's alive expiration is stretched by akka.test.timefactor: for specs that
    /// assert a view or a leadership stays unchanged over seconds, which a stall of the loaded machine longer than
    /// the unscaled expiration (1.5 s) would otherwise break by expiring a live peer.
    /// </summary>
    protected ChannelSpecBase(bool stableViews = false)
        : base("akka.test.timefactor = 3\nakka.loglevel = WARNING")
    {
        var membership = stableViews ? FastTimers with { AliveExpirationTimeout = Dilated(FastTimers.AliveExpirationTimeout) } : FastTimers;
        Net = new InProcessNetwork(Sys, Pki, membership, [ChannelOf(DisseminationMode.Enhanced, ["Org1"])]);
        Orderer = Pki.Orderer();
    }

    protected TestPki Pki { get; } = new();
    protected InProcessNetwork Net { get; }
    protected NodeIdentity Orderer { get; }

    protected static ChannelOptions ChannelOf(DisseminationMode mode, IReadOnlyList<string> orgs) =>
        new(Channel, orgs, "OrdererOrg", FastDissemination with { Mode = mode }, FastStateInfo);

    /// <summary>State info published at most every 300 ms, pulled every 600 ms, expired after 10 s.</summary>
    protected static readonly StateInfoSettings FastStateInfo =
        new(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(10));

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            Pki.Dispose();
        }
    }

    protected static string[] Names(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => prefix + i)];

    protected void StartOrg1(IEnumerable<string> names, DisseminationMode mode = DisseminationMode.Enhanced, IReadOnlyList<AnchorPeer>? anchors = null)
    {
        foreach (var name in names)
        {
            Net.Start("Org1", name, ["p1"], anchors, joins: [ChannelOf(mode, ["Org1"])]);
        }
    }

    protected Block BlockAt(ulong number, ByteString previousHash, NodeIdentity? signer = null) =>
        BlockFactory.Create(Channel, number, previousHash, [ByteString.CopyFromUtf8($"tx of block {number}")], signer ?? Orderer);

    protected ChannelStatus Status(string peer) => Net.ChannelStatus(peer, Channel);

    protected InjectBlockResult Inject(string peer, Block block) =>
        Net[peer].Ask<InjectBlockResult>(new InjectBlock(Channel, block), TimeSpan.FromSeconds(5)).Result;

    /// <summary>Every peer's channel view holds exactly the other given peers.</summary>
    protected void AwaitChannelViews(IReadOnlyCollection<string> peers, TimeSpan within)
    {
        foreach (var peer in peers)
        {
            AwaitAssert(() => Assert.Equal(peers.Where(p => p != peer).ToHashSet(),
                    Status(peer).Peers.Select(p => Net.NameOf(p.Id)).ToHashSet()),
                Dilated(within), TimeSpan.FromMilliseconds(100));
        }
    }

    protected void AwaitHeight(IEnumerable<string> peers, ulong height, TimeSpan within, string? lastHash = null)
    {
        foreach (var peer in peers)
        {
            AwaitAssert(() =>
            {
                var status = Status(peer);
                Assert.True(status.Height == height, $"{peer} is at height {status.Height}, expected {height}");
                if (lastHash is not null)
                {
                    Assert.Equal(lastHash, status.LastBlockHash);
                }
            }, Dilated(within), TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Delivers a message to a peer's channel actor as comm would after its guard ladder (a seam for hostile peers).</summary>
    protected void DeliverAsFrom(string from, string to, GossipMessage message)
    {
        var sender = PeerIdentityInfo.From(Net.Identity(from).Certificate);
        Sys.ActorSelection($"/user/{to}/{ChannelOptions.ActorNameOf(Channel)}")
            .Tell(new Inbound(sender, message, EnvelopeCodec.Unsigned(message), null), ActorRefs.NoSender);
    }

    /// <summary>A round trip through each peer's comm: every fault-filter change told before it is in force.</summary>
    protected void AwaitCommQuiet(IEnumerable<string> peers)
    {
        foreach (var peer in peers)
        {
            Net[peer].Ask<CommStats>(GetCommStats.Instance, TimeSpan.FromSeconds(5)).Wait();
        }
    }

    protected static string Hex(Block block) => Convert.ToHexStringLower(BlockHashes.HeaderHash(block).Span);
}
