using GossipActors.Channels;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Tests.Channels;

/// <summary>What one member can make a peer do or hold, whatever it sends: each bound under a flood.</summary>
public sealed class DisseminationBoundsTests
{
    private static readonly DisseminationCoreSettings Settings = new()
    {
        PushPeerNum = 3, DigestPeerNum = 4, PushTtl = 2, DigestTtl = 3, MaxBlockCountToStore = 10, PullPeerNum = 2,
    };

    [Fact]
    public void TtlsFromTheWire_AreClampedToTheConfiguredOnes_NotToTheProtocolMaximum()
    {
        var core = Core(Settings);

        var pushed = core.OnDataMessage(Peer(1), Data(5, uint.MaxValue, uint.MaxValue), T0);
        var digested = core.OnDataDigest(Peer(2), new DataDigest { SeqNum = 6, DigestTtl = 63 }, T0);

        Assert.All(pushed.Of(Kind.DataMsg), s => Assert.Equal((1u, 3u), (s.Message.DataMsg.PushTtl, s.Message.DataMsg.DigestTtl)));
        Assert.All(digested.Of(Kind.DataDigest), s => Assert.Equal(2u, s.Message.DataDigest.DigestTtl));
    }

    [Fact]
    public void AFloodOfCopiesWithEveryTtl_ForwardsTheBlockOncePerPhase()
    {
        var core = Core(Settings, peers: 50);
        var sends = new List<GossipSend>();

        for (uint ttl = 0; ttl < 64; ttl++)
        {
            sends.AddRange(core.OnDataMessage(Peer(1 + (int)(ttl % 40)), Data(5, ttl % 3, ttl), T0).Sends);
            sends.AddRange(core.OnDataDigest(Peer(2), new DataDigest { SeqNum = 5, DigestTtl = ttl }, T0).Sends);
        }

        Assert.Equal(Settings.PushPeerNum, sends.Count(s => s.Message.ContentCase == Kind.DataMsg));
        Assert.Equal(Settings.DigestPeerNum, sends.Count(s => s.Message.ContentCase == Kind.DataDigest));
    }

    [Fact]
    public void CopiesArrivingWithEverHigherTtls_DoNotMakeAPeerForwardTheBlockAgain()
    {
        var core = Core(Settings, peers: 50);
        var sends = new List<GossipSend>();

        // Links reorder copies: a late hop's copy (low TTL) first, then earlier hops' (higher TTLs).
        for (uint push = 1; push <= Settings.PushTtl; push++)
        {
            sends.AddRange(core.OnDataMessage(Peer((int)push), Data(5, push, (uint)Settings.DigestTtl), T0).Sends);
        }
        for (uint digest = 1; digest <= Settings.DigestTtl; digest++)
        {
            sends.AddRange(core.OnDataDigest(Peer(10 + (int)digest), new DataDigest { SeqNum = 5, DigestTtl = digest }, T0).Sends);
        }

        Assert.Equal(Settings.PushPeerNum, sends.Count(s => s.Message.ContentCase == Kind.DataMsg));
        Assert.Equal(Settings.DigestPeerNum, sends.Count(s => s.Message.ContentCase == Kind.DataDigest));
    }

    [Fact]
    public void ABlockThatShowsAGapRightAfterWhatWeKnow_MakesUsAskItsSenderForTheMissingBlockAtOnce()
    {
        var core = Core(Settings, peers: 50);
        core.OnDataMessage(Peer(1), Data(0, 0, 0), T0);

        // Block 2 arrives from peer 3; we never heard of block 1.
        var output = core.OnDataMessage(Peer(3), Data(2, 0, 0), T0);

        var request = Assert.Single(output.Of(Kind.DataReq));
        Assert.Equal(Peer(3), request.Target);
        Assert.Equal([1UL], request.Message.DataReq.SeqNums);
        Assert.Equal(1, core.Counters.GapRequests);
        // One request per gap: block 2's digest from another peer asks nothing more.
        Assert.Empty(core.OnDataDigest(Peer(4), new DataDigest { SeqNum = 2, DigestTtl = 0 }, T0).Of(Kind.DataReq));
    }

    [Fact]
    public void ABlockOutOfNowhere_FarBeyondWhatWeKnow_AsksForNoGap()
    {
        var core = Core(Settings, peers: 50);
        core.OnDataMessage(Peer(1), Data(0, 0, 0), T0);

        var output = core.OnDataMessage(Peer(3), Data(5, 0, 0), T0);

        Assert.Empty(output.Of(Kind.DataReq));
        Assert.Equal(0, core.Counters.GapRequests);
    }

    [Fact]
    public void DigestsFarBeyondAnyKnownHeight_AreIgnoredAndCounted_AndStartNoFanOut()
    {
        var core = Core(Settings, peers: 50);
        core.UpdateLedgerHeight(100);
        var sends = 0;

        for (ulong n = 0; n < 10_000; n++)
        {
            sends += core.OnDataDigest(Peer(1 + (int)(n % 40)), new DataDigest { SeqNum = 110 + n, DigestTtl = 3 }, T0).Sends.Count;
        }
        var near = core.OnDataDigest(Peer(1), new DataDigest { SeqNum = 109, DigestTtl = 3 }, T0);

        Assert.Equal(0, sends);
        Assert.Equal(10_000, core.Counters.DigestsBeyondHeight);
        Assert.Equal(1, core.RumorCount); // only the digest within the window (block 109) is remembered
        Assert.Single(near.Of(Kind.DataReq));
    }

    [Fact]
    public void AHeightReportedInTheChannel_MovesTheDigestWindow()
    {
        var core = Core(Settings);
        core.UpdatePeers(new ChannelPeerSet([new(Peer(1), "Org1MSP", 500), new(Peer(2), "Org1MSP", 0)]));

        var output = core.OnDataDigest(Peer(1), new DataDigest { SeqNum = 505, DigestTtl = 0 }, T0);

        Assert.Single(output.Of(Kind.DataReq));
        Assert.Equal(0, core.Counters.DigestsBeyondHeight);
    }

    [Fact]
    public void OnePullDigestWithManyEntries_AddsAtMostMaxBlockCountToStoreOffers()
    {
        var core = Core(Settings);
        core.Tick(T0);
        var at = core.Pull.NextDue!.Value;
        var hello = core.Tick(at).Of(Kind.Hello).First();
        var digest = new PullDigest { Nonce = hello.Message.Hello.Nonce, MsgType = PullMsgType.BlockMsg };
        for (ulong n = 0; n < 400_000; n++)
        {
            digest.Digests.Add(BlockDigests.Encode(n));
        }

        core.OnPullDigest(hello.Target, digest, at);
        var requests = core.Tick(at + Settings.DigestWaitTime).Of(Kind.PullReq);

        Assert.Equal(Settings.MaxBlockCountToStore, requests.Sum(r => r.Message.PullReq.Digests.Count));
        Assert.Equal(400_000 - Settings.MaxBlockCountToStore, core.Counters.PullOffersBeyondBound);
    }

    [Fact]
    public void AFloodOfHellos_KeepsOnePendingNoncePerPeer_AndOnlyTheLatestServes()
    {
        var core = Core(Settings, peers: 20);
        core.OnDataMessage(Peer(3), Data(1, 0, 0), T0);

        for (ulong nonce = 1; nonce <= 10_000; nonce++)
        {
            core.OnHello(Peer(1 + (int)(nonce % 5)), new GossipHello { Nonce = nonce, MsgType = PullMsgType.BlockMsg }, T0);
        }
        core.OnHello(Peer(9), new GossipHello { Nonce = 77, MsgType = PullMsgType.BlockMsg }, T0);

        Assert.Equal(6, core.Pull.IncomingNonces);
        // Peer(1) sent the nonces 5, 10, ..., 10 000: only its latest still serves.
        var stale = core.OnPullRequest(Peer(1), new PullRequest { Nonce = 5, Digests = { BlockDigests.Encode(1) } }, T0);
        var latest = core.OnPullRequest(Peer(1), new PullRequest { Nonce = 10_000, Digests = { BlockDigests.Encode(1) } }, T0);
        Assert.Empty(stale.Sends);
        Assert.Single(latest.Of(Kind.PullRes));
    }

    [Fact]
    public void AnUnsolicitedPullResponse_IsRefusedBeforeAnyBlockIsLookedAt()
    {
        var core = Core(Settings);

        Assert.False(core.AcceptsPullResponse(Peer(1), nonce: 42));
        Assert.False(core.WantsPulled(Peer(1), 3));
        Assert.Equal(1, core.Counters.UnknownNonce);
    }

    [Fact]
    public void ABlockBelowTheStoresWindow_IsNotNew()
    {
        var core = Core(Settings);
        for (ulong n = 20; n < 30; n++)
        {
            core.OnDataMessage(Peer(1), Data(n, 0, 0), T0);
        }

        var below = core.OnDataMessage(Peer(2), Data(5, 0, 0), T0);

        Assert.Empty(below.NewBlocks);
        Assert.Empty(below.Sends);
        Assert.False(core.Has(5));
        Assert.Equal(1, core.Counters.BelowStoreWindow);
    }
}
