using GossipActors.Channels;
using GossipActors.Protocol.Wire;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Tests.Channels;

public sealed class DisseminationPullTests
{
    private static readonly DisseminationCoreSettings Settings = new() { PullPeerNum = 2 };

    /// <summary>Ticks until the first pull round starts; returns its hellos.</summary>
    private static (List<GossipSend> Hellos, DateTimeOffset At) StartRound(ChannelDissemination core)
    {
        core.Tick(T0);
        var at = core.Pull.NextDue!.Value;
        return (core.Tick(at).Of(Kind.Hello), at);
    }

    [Fact]
    public void Round_SendsHellosWithFreshNonces_ToPullPeerNumPeers()
    {
        var core = Core(Settings);

        var (hellos, _) = StartRound(core);

        Assert.Equal(2, hellos.Count);
        Assert.Equal(2, hellos.Select(h => h.Message.Hello.Nonce).Distinct().Count());
        Assert.All(hellos, h => Assert.Equal(PullMsgType.BlockMsg, h.Message.Hello.MsgType));
    }

    [Fact]
    public void HelloDigestRequestResponse_BringsTheMissingBlocks()
    {
        var puller = Core(Settings, self: 0);
        var holder = Core(Settings, self: 1);
        holder.OnDataMessage(Peer(2), Data(3, 0, 0), T0);
        holder.OnDataMessage(Peer(2), Data(4, 0, 0), T0);
        var (hellos, at) = StartRound(puller);
        var hello = hellos.First();
        var from = hello.Target;

        var digest = holder.OnHello(Peer(0), hello.Message.Hello, at).Sends.Single().Message.PullDigest;
        puller.OnPullDigest(from, digest, at);
        var request = puller.Tick(at + Settings.DigestWaitTime).Of(Kind.PullReq).Single();
        var response = holder.OnPullRequest(Peer(0), request.Message.PullReq, at + Settings.DigestWaitTime).Sends.Single().Message.PullRes;
        var delivered = puller.OnPullResponse(from, response.Nonce, PullEngine.BlocksOf(response), at + Settings.DigestWaitTime);

        Assert.Equal(hello.Message.Hello.Nonce, digest.Nonce);
        Assert.Equal(from, request.Target);
        Assert.Equal([3ul, 4ul], delivered.NewBlocks.Select(b => b.SeqNum));
        Assert.True(puller.Has(3) && puller.Has(4));
    }

    [Fact]
    public void DigestOrResponseUnderUnknownNonce_IsIgnoredAndCounted()
    {
        var core = Core(Settings);
        var (hellos, at) = StartRound(core);
        var stranger = new PullDigest { Nonce = 12345, Digests = { BlockDigests.Encode(9) } };

        core.OnPullDigest(hellos[0].Target, stranger, at);
        var requests = core.Tick(at + Settings.DigestWaitTime).Of(Kind.PullReq);
        var response = core.OnPullResponse(hellos[0].Target, 999, [Data(9, 0, 0)], at + Settings.DigestWaitTime);

        Assert.Empty(requests);
        Assert.True(response.IsEmpty);
        Assert.False(core.Has(9));
        Assert.Equal(2, core.Counters.UnknownNonce);
    }

    [Fact]
    public void DigestFromAnotherPeerThanTheHelloWentTo_IsIgnored()
    {
        var core = Core(Settings);
        var (hellos, at) = StartRound(core);
        var other = Enumerable.Range(1, 9).Select(Peer).First(p => hellos.All(h => h.Target != p));

        core.OnPullDigest(other, new PullDigest { Nonce = hellos[0].Message.Hello.Nonce, Digests = { BlockDigests.Encode(9) } }, at);

        Assert.Empty(core.Tick(at + Settings.DigestWaitTime).Of(Kind.PullReq));
        Assert.Equal(1, core.Counters.UnknownNonce);
    }

    [Fact]
    public void DigestEntriesBelowOurHeight_AreSkipped()
    {
        var core = Core(Settings);
        core.UpdateLedgerHeight(10);
        var (hellos, at) = StartRound(core);
        var digest = new PullDigest { Nonce = hellos[0].Message.Hello.Nonce, Digests = { BlockDigests.Encode(4), BlockDigests.Encode(12) } };

        core.OnPullDigest(hellos[0].Target, digest, at);
        var request = core.Tick(at + Settings.DigestWaitTime).Of(Kind.PullReq).Single();

        Assert.Equal([BlockDigests.Encode(12)], request.Message.PullReq.Digests);
        Assert.Equal(1, core.Counters.DigestsBelowHeight);
    }

    [Fact]
    public void RequestUnderANonceNeverHelloed_OrAfterRequestWaitTime_GetsNothing()
    {
        var holder = Core(Settings, self: 1);
        holder.OnDataMessage(Peer(2), Data(3, 0, 0), T0);
        holder.OnHello(Peer(0), new GossipHello { Nonce = 77 }, T0);
        var request = new PullRequest { Nonce = 77, Digests = { BlockDigests.Encode(3) } };

        var unknown = holder.OnPullRequest(Peer(0), new PullRequest { Nonce = 78, Digests = { BlockDigests.Encode(3) } }, T0);
        var late = holder.OnPullRequest(Peer(0), request, T0 + Settings.RequestWaitTime);
        var inTime = holder.OnPullRequest(Peer(0), request, T0 + Settings.RequestWaitTime - TimeSpan.FromMilliseconds(1));

        Assert.True(unknown.IsEmpty && late.IsEmpty);
        Assert.Single(inTime.Sends);
        Assert.Equal(2, holder.Counters.UnknownIncomingNonce);
    }

    [Fact]
    public void ResponseAfterResponseWaitTime_IsIgnored()
    {
        var core = Core(Settings);
        var (hellos, at) = StartRound(core);
        var nonce = hellos[0].Message.Hello.Nonce;
        core.OnPullDigest(hellos[0].Target, new PullDigest { Nonce = nonce, Digests = { BlockDigests.Encode(9) } }, at);
        core.Tick(at + Settings.DigestWaitTime);

        core.Tick(at + Settings.DigestWaitTime + Settings.ResponseWaitTime);
        var late = core.OnPullResponse(hellos[0].Target, nonce, [Data(9, 0, 0)], at + Settings.DigestWaitTime + Settings.ResponseWaitTime);

        Assert.True(late.IsEmpty);
        Assert.False(core.Has(9));
    }

    [Fact]
    public void Pull_rounds_keep_the_pull_interval_when_every_tick_comes_7_ms_after_its_deadline()
    {
        var core = Core(Settings);
        var rounds = new List<DateTimeOffset>();
        var now = T0;
        while (now < T0 + TimeSpan.FromSeconds(200))
        {
            if (core.Tick(now).Of(Kind.Hello).Count > 0)
            {
                rounds.Add(now);
            }
            now = core.NextDue!.Value + TimeSpan.FromMilliseconds(7);
        }

        StateInfoCadenceTests.AssertOnCadence(rounds, Settings.PullInterval);
    }
}
