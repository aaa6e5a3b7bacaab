using GossipActors.Channels;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>The digest pull of state info: bounded requests and answers, only what the requester lacks, the ring walked.</summary>
public sealed class StateInfoDigestTests
{
    private static readonly StateInfoSettings Timers = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(400));

    private readonly ManualTimeProvider _clock = new(T0);

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Peer <paramref name="self"/> of a one-org channel whose peers 0..count-1 are all alive.</summary>
    private ChannelMembership Core(int self, int count)
    {
        var m = new ChannelMembership("ch1", Peer(self), "Org1MSP", true, 1, ["Org1MSP"], Timers, _clock, new Random(self + 1));
        m.UpdateAlive(Enumerable.Range(0, count).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)));
        return m;
    }

    private static SignedEnvelope Envelope(int peer, ulong seq, ulong height) => EnvelopeCodec.Unsigned(new GossipMessage
    {
        Channel = "ch1",
        StateInfo = new StateInfo { PkiId = Peer(peer).ToByteString(), LedgerHeight = height, Timestamp = new() { IncNum = 1, SeqNum = seq } },
    });

    private void Hold(ChannelMembership m, int peer, ulong seq, ulong height) =>
        m.OnStateInfo(new StateInfoFact(Peer(peer), "Org1MSP", 1, seq, height, false), Envelope(peer, seq, height), Now);

    /// <summary>Feeds an answer's elements to the requester as the shell does (each verified, then taken in).</summary>
    private void TakeIn(ChannelMembership requester, StateInfoSnapshot answer)
    {
        foreach (var element in answer.Elements.Take(requester.MaxSnapshotEntries))
        {
            var info = GossipMessage.Parser.ParseFrom(element.Payload).StateInfo;
            var fact = new StateInfoFact(GossipActors.Crypto.PkiId.FromByteString(info.PkiId), "Org1MSP", info.Timestamp.IncNum, info.Timestamp.SeqNum, info.LedgerHeight, false);
            requester.OnStateInfo(fact, element, Now);
        }
    }

    /// <summary>Ticks the core until it wants to pull; returns its request.</summary>
    private StateInfoPull NextPull(ChannelMembership m)
    {
        for (var i = 0; i < 100; i++)
        {
            if (m.Tick(Now).Pull is { } pull)
            {
                return pull;
            }
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        throw new InvalidOperationException("no pull within 100 s");
    }

    /// <summary>Ends the requester's warm-up as the cap does: <see cref="ChannelMembership.MaxFillPulls"/> fill pulls
    /// answered by a peer that knows nothing.</summary>
    private void EndFill(ChannelMembership m)
    {
        for (var i = 0; i < ChannelMembership.MaxFillPulls && m.Filling; i++)
        {
            var pull = NextPull(m);
            Assert.True(pull.Request.Fill);
            m.AcceptsSnapshot(pull.Target, new StateInfoSnapshot { Nonce = pull.Nonce, NextStart = pull.Request.RangeEnd });
        }
        Assert.False(NextPull(m).Request.Fill);
        Assert.False(m.Filling);
    }

    private static ulong SeqOf(SignedEnvelope e) => GossipMessage.Parser.ParseFrom(e.Payload).StateInfo.Timestamp.SeqNum;

    [Fact]
    public void An_answer_carries_only_the_entries_the_requester_lacks_or_holds_older()
    {
        var responder = Core(0, 10);
        var requester = Core(9, 10);
        for (var p = 1; p <= 6; p++)
        {
            Hold(responder, p, seq: 5, height: 3);
        }
        Hold(requester, 1, seq: 5, height: 3); // current
        Hold(requester, 2, seq: 5, height: 3); // current
        Hold(requester, 3, seq: 4, height: 3); // older
        Hold(requester, 7, seq: 9, height: 3); // the responder does not hold it: nothing to send

        var answer = responder.Answer(NextPull(requester).Request, "Org1MSP", own: null, Now);

        var about = answer.Elements.Select(e => GossipActors.Crypto.PkiId.FromByteString(GossipMessage.Parser.ParseFrom(e.Payload).StateInfo.PkiId)).ToHashSet();
        Assert.Equal(new[] { Peer(3), Peer(4), Peer(5), Peer(6) }.ToHashSet(), about);
        Assert.All(answer.Elements, e => Assert.Equal(5ul, SeqOf(e)));
    }

    [Fact]
    public void The_responder_sends_its_own_state_info_when_it_is_above_the_requester_known_height()
    {
        var responder = Core(0, 40);
        var requester = Core(1, 40);
        responder.OnOwnHeight(8);
        var published = responder.Tick(Now).Publish!;
        var own = Envelope(0, published.Timestamp.SeqNum, 8);
        requester.OnOwnHeight(7);
        Hold(requester, 0, published.Timestamp.SeqNum, 8); // it already holds our newest one...

        var request = NextPull(requester).Request;
        Assert.Equal(8ul, request.KnownHeight);
        Assert.DoesNotContain(own, responder.Answer(request, "Org1MSP", own, Now).Elements);

        request.KnownHeight = 7; // ...but a requester that knows only height 7 gets it, in range or not
        request.RangeStart = StateInfoRing.Position(Peer(0)) + 1;
        request.RangeEnd = request.RangeStart + 1;
        Assert.Contains(own, responder.Answer(request, "Org1MSP", own, Now).Elements);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    public void Requests_and_answers_stay_bounded_whatever_the_channel_size(int peers)
    {
        var full = Core(0, peers);
        var empty = Core(1, peers);
        for (var p = 2; p < peers; p++)
        {
            Hold(full, p, seq: 1, height: 1);
        }

        EndFill(full);
        EndFill(empty); // steady state: a peer that lacks entries after its warm-up still gets bounded answers

        var fullRequest = NextPull(full).Request;
        var answerToEmpty = full.Answer(NextPull(empty).Request, "Org1MSP", null, Now);

        Assert.Equal(ChannelMembership.MaxDigestEntries, fullRequest.Known.Count);
        Assert.InRange(fullRequest.CalculateSize(), 0, 1000);
        Assert.Equal(ChannelMembership.MaxRangeAnswer + 1, answerToEmpty.Elements.Count); // the range's 32, and the highest
        Assert.InRange(answerToEmpty.CalculateSize(), 0, ChannelMembership.MaxAnswerEntries * 200);
    }

    [Fact]
    public void Repeated_pulls_walk_the_ring_so_an_empty_peer_learns_every_entry()
    {
        const int Peers = 300;
        var responder = Core(0, Peers);
        var requester = Core(1, Peers);
        for (var p = 2; p < Peers; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
        }

        EndFill(requester);
        var pulls = 0;
        while (requester.StateInfoCount < Peers - 2 && pulls < 100)
        {
            var pull = NextPull(requester);
            var answer = responder.Answer(pull.Request, "Org1MSP", null, Now);
            Assert.True(requester.AcceptsSnapshot(pull.Target, answer));
            TakeIn(requester, answer);
            pulls++;
        }

        Assert.Equal(Peers - 2, requester.StateInfoCount);
        Assert.InRange(pulls, (Peers - 2) / ChannelMembership.MaxRangeAnswer, (Peers - 2) / ChannelMembership.MaxRangeAnswer + 2);
    }

    [Fact]
    public void Newer_entries_held_anywhere_on_the_ring_reach_a_requester_within_one_walk_of_it()
    {
        const int Peers = 200;
        var responder = Core(0, Peers);
        var requester = Core(1, Peers);
        for (var p = 2; p < Peers; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
            Hold(requester, p, seq: 1, height: 1);
        }
        for (var p = 2; p < Peers; p++)
        {
            Hold(responder, p, seq: 2, height: 1); // every peer republished (a keep-alive): same height, newer
        }

        EndFill(requester);
        var walk = (Peers - 2 + ChannelMembership.MaxDigestEntries - 1) / ChannelMembership.MaxDigestEntries + 1;
        for (var i = 0; i < walk; i++)
        {
            var pull = NextPull(requester);
            var answer = responder.Answer(pull.Request, "Org1MSP", null, Now);
            requester.AcceptsSnapshot(pull.Target, answer);
            TakeIn(requester, answer);
        }

        var stillOld = Enumerable.Range(2, Peers - 2).Count(p => requester.IsNewer(Peer(p), 1, 2));
        Assert.Equal(0, stillOld);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    public void A_new_peer_fills_its_view_in_one_pull_with_an_answer_bounded_by_bytes_then_pulls_stay_small(int peers)
    {
        var responder = Core(0, peers);
        var newcomer = Core(1, peers);
        for (var p = 2; p < peers; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
        }

        var pull = NextPull(newcomer);
        Assert.True(pull.Request.Fill);
        var answer = responder.Answer(pull.Request, "Org1MSP", null, Now);
        Assert.True(newcomer.AcceptsSnapshot(pull.Target, answer));
        TakeIn(newcomer, answer);

        Assert.Equal(peers - 2, newcomer.StateInfoCount);
        Assert.InRange(answer.CalculateSize(), 0, ChannelMembership.MaxFillAnswerBytes + 1024);
        Hold(newcomer, 0, seq: 1, height: 1); // the responder's own, which it publishes
        var next = NextPull(newcomer).Request; // it knows every alive peer now: steady state
        Assert.False(next.Fill);
        Assert.InRange(next.Known.Count, 0, ChannelMembership.MaxDigestEntries);
    }

    [Fact]
    public void A_requester_repeating_fill_requests_faster_than_its_fill_cadence_gets_bounded_answers()
    {
        var responder = Core(0, 300);
        for (var p = 2; p < 300; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
        }
        var request = NextPull(Core(1, 300)).Request;
        Assert.True(request.Fill);

        var first = responder.Answer(request, "Org1MSP", null, Now, Peer(1));
        var replayed = responder.Answer(request, "Org1MSP", null, Now, Peer(1));
        var otherRequester = responder.Answer(request, "Org1MSP", null, Now, Peer(2));
        _clock.Advance(Timers.RequestInterval / ChannelMembership.FillPullsPerInterval);
        var onCadence = responder.Answer(request, "Org1MSP", null, Now, Peer(1));

        Assert.Equal(298, first.Elements.Count);
        Assert.InRange(replayed.Elements.Count, 0, ChannelMembership.MaxRangeAnswer + 2);
        Assert.Equal(298, otherRequester.Elements.Count);
        Assert.Equal(298, onCadence.Elements.Count);
    }

    [Fact]
    public void An_answer_to_a_fill_stops_at_its_byte_bound_and_the_next_fill_pull_goes_on_from_there()
    {
        const int Peers = 6000; // 6,000 state infos do not fit in one answer (bytes or entries)
        var responder = Core(0, Peers);
        var newcomer = Core(1, Peers);
        for (var p = 2; p < Peers; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
        }

        var first = NextPull(newcomer);
        var answer = responder.Answer(first.Request, "Org1MSP", null, Now);
        Assert.InRange(answer.CalculateSize(), ChannelMembership.MaxFillAnswerBytes / 2, ChannelMembership.MaxFillAnswerBytes + 1024);
        Assert.InRange(answer.Elements.Count, 1, Peers - 3);
        newcomer.AcceptsSnapshot(first.Target, answer);
        TakeIn(newcomer, answer);
        var pulls = 1;
        while (newcomer.StateInfoCount < Peers - 2 && pulls < 10)
        {
            var pull = NextPull(newcomer);
            Assert.True(pull.Request.Fill);
            var more = responder.Answer(pull.Request, "Org1MSP", null, Now);
            Assert.InRange(more.CalculateSize(), 0, ChannelMembership.MaxFillAnswerBytes + 1024);
            newcomer.AcceptsSnapshot(pull.Target, more);
            TakeIn(newcomer, more);
            pulls++;
        }

        Assert.Equal(Peers - 2, newcomer.StateInfoCount);
        Assert.InRange(pulls, 2, 4);
    }

    [Fact]
    public void A_filling_peer_pulls_four_times_per_interval_and_stops_filling_after_the_cap_when_some_alive_peers_never_join()
    {
        var m = Core(1, 100); // 98 alive peers never publish a state info for the channel
        var times = new List<DateTimeOffset>();
        for (var i = 0; i < ChannelMembership.MaxFillPulls; i++)
        {
            var pull = NextPull(m);
            times.Add(Now);
            Assert.True(pull.Request.Fill);
            m.AcceptsSnapshot(pull.Target, new StateInfoSnapshot { Nonce = pull.Nonce, NextStart = pull.Request.RangeEnd });
        }
        Assert.All(times.Zip(times.Skip(1)), t => Assert.InRange(t.Second - t.First, TimeSpan.Zero, Timers.RequestInterval / 2));

        var steady = NextPull(m);
        Assert.False(steady.Request.Fill);
        var after = Now;
        NextPull(m);
        Assert.InRange(Now - after, Timers.RequestInterval - TimeSpan.FromSeconds(1), Timers.RequestInterval + TimeSpan.FromSeconds(1));
    }

    /// <summary>Peer <paramref name="self"/> with peers 0..alive-1 alive, holding the state infos of peers
    /// 2..joined-1 (peers joined..alive-1 are alive but never joined the channel).</summary>
    private ChannelMembership CoreHolding(int self, int alive, int joined)
    {
        var m = Core(self, alive);
        for (var p = 2; p < joined; p++)
        {
            Hold(m, p, seq: 1, height: 1);
        }
        return m;
    }

    /// <summary>One fill pull of <paramref name="requester"/> answered by <paramref name="responder"/> and taken in.</summary>
    private StateInfoSnapshot FillPull(ChannelMembership requester, ChannelMembership responder)
    {
        var pull = NextPull(requester);
        Assert.True(pull.Request.Fill);
        var answer = responder.Answer(pull.Request, "Org1MSP", null, Now);
        Assert.True(requester.AcceptsSnapshot(pull.Target, answer));
        TakeIn(requester, answer);
        return answer;
    }

    [Fact]
    public void Filling_ends_after_the_two_answers_that_complete_the_view_even_when_some_alive_peers_never_join()
    {
        const int Joined = 6000; // more than one fill answer carries
        var responder = CoreHolding(0, alive: Joined + 100, joined: Joined);
        EndFill(responder); // the responder's own view is settled
        var newcomer = Core(1, Joined + 100);

        var first = FillPull(newcomer, responder);
        Assert.False(first.Complete); // cut by its byte bound
        Assert.True(newcomer.Filling);
        var second = FillPull(newcomer, responder);

        Assert.True(second.Complete);
        Assert.Equal(Joined - 2, newcomer.StateInfoCount);
        Assert.False(newcomer.Filling); // not 14 more fill pulls waiting for the 100 peers that never joined
        Assert.False(NextPull(newcomer).Request.Fill);
    }

    [Fact]
    public void Complete_answers_to_consecutive_ranges_that_come_round_the_ring_end_filling()
    {
        const int Joined = 5000; // the requester's digest (at most 4,096 entries) cannot name the whole ring
        var responder = CoreHolding(0, alive: Joined + 100, joined: Joined);
        EndFill(responder);
        var requester = CoreHolding(1, alive: Joined + 100, joined: Joined);

        var firstPull = NextPull(requester);
        Assert.NotEqual(firstPull.Request.RangeStart, firstPull.Request.RangeEnd);
        var first = responder.Answer(firstPull.Request, "Org1MSP", null, Now);
        Assert.True(first.Complete);
        requester.AcceptsSnapshot(firstPull.Target, first);
        Assert.True(requester.Filling); // one range proven, not the ring
        FillPull(requester, responder);

        Assert.False(requester.Filling);
    }

    [Fact]
    public void An_answer_cut_by_its_bound_or_from_a_responder_still_filling_does_not_end_filling()
    {
        const int Joined = 6000;
        var settled = CoreHolding(0, alive: Joined + 100, joined: Joined);
        EndFill(settled);
        var filling = CoreHolding(2, alive: Joined + 100, joined: Joined);
        Hold(filling, 0, seq: 1, height: 1);
        var newcomer = Core(1, Joined + 100);

        Assert.False(FillPull(newcomer, settled).Complete); // cut at 256 KiB
        Assert.True(newcomer.Filling);
        Assert.False(FillPull(newcomer, filling).Complete); // nothing left out, but its own view may be partial
        Assert.True(newcomer.Filling);
        Assert.True(NextPull(newcomer).Request.Fill);
    }

    [Fact]
    public void An_answer_that_withholds_entries_by_disclosure_does_not_end_filling()
    {
        string[] orgs = ["Org1MSP", "Org2MSP", "Org3MSP"];
        ChannelMembership Member(int self, string org)
        {
            var m = new ChannelMembership("ch1", Peer(self), org, true, 1, orgs, Timers, _clock, new Random(self + 1));
            m.UpdateAlive(Enumerable.Range(0, 12).Select(i => new AlivePeer(Peer(i), orgs[i % 3], i % 3 != 2 || i == 2)));
            return m;
        }
        var responder = Member(1, "Org2MSP"); // org 2, external
        for (var p = 2; p < 12; p++)
        {
            var fact = new StateInfoFact(Peer(p), orgs[p % 3], 1, 1, 1, false);
            responder.OnStateInfo(fact, Envelope(p, 1, 1), Now);
        }
        EndFill(responder);
        var requester = Member(0, "Org1MSP");

        var pull = NextPull(requester);
        var answer = responder.Answer(pull.Request, "Org1MSP", null, Now);
        requester.AcceptsSnapshot(pull.Target, answer);

        Assert.NotEmpty(answer.Elements);
        Assert.False(answer.Complete); // org 3's peers are not disclosed to org 1
        Assert.True(requester.Filling);
    }

    [Fact]
    public void Many_peers_whose_state_info_we_still_hold_coming_back_at_once_do_not_start_filling()
    {
        var m = Core(1, 10);
        EndFill(m);
        for (var p = 10; p < 100; p++)
        {
            Hold(m, p, seq: 1, height: 1); // learned from others while these peers were unreachable to us
        }

        m.UpdateAlive(Enumerable.Range(0, 100).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)));

        Assert.False(m.Filling);
    }

    [Fact]
    public void Many_peers_appearing_at_once_start_filling_again_and_a_few_do_not()
    {
        var m = Core(1, 10);
        EndFill(m);

        m.UpdateAlive(Enumerable.Range(0, 10 + ChannelMembership.MaxRangeAnswer).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)));
        Assert.False(m.Filling); // 32 newcomers: steady pulls learn them

        m.UpdateAlive(Enumerable.Range(0, 100).Select(i => new AlivePeer(Peer(i), "Org1MSP", true)));
        Assert.True(m.Filling); // a partition healed: 58 newcomers
        Assert.True(NextPull(m).Request.Fill);
    }

    [Fact]
    public void A_responder_answers_a_steady_request_with_at_most_32_entries_even_if_it_claims_to_know_nothing()
    {
        var responder = Core(0, 500);
        for (var p = 2; p < 500; p++)
        {
            Hold(responder, p, seq: 1, height: 1);
        }

        var answer = responder.Answer(new StateInfoPullRequest { Nonce = 1 }, "Org1MSP", null, Now);

        Assert.InRange(answer.Elements.Count, 1, ChannelMembership.MaxAnswerEntries);
    }

    [Fact]
    public void An_answer_under_a_wrong_nonce_does_not_move_the_ring_cursor()
    {
        var requester = Core(1, 10);
        var pull = NextPull(requester);
        var cursor = requester.PullCursor;

        Assert.False(requester.AcceptsSnapshot(pull.Target, new StateInfoSnapshot { Nonce = pull.Nonce + 1, NextStart = cursor + 12345 }));
        Assert.Equal(cursor, requester.PullCursor);
        Assert.True(requester.AcceptsSnapshot(pull.Target, new StateInfoSnapshot { Nonce = pull.Nonce, NextStart = cursor + 12345 }));
        Assert.Equal(cursor + 12345, requester.PullCursor);
    }

    [Fact]
    public void Ring_ranges_wrap_around_and_an_equal_start_and_end_is_the_whole_ring()
    {
        Assert.True(StateInfoRing.InRange(5, 5, 5));
        Assert.True(StateInfoRing.InRange(ulong.MaxValue, 10, 3));
        Assert.True(StateInfoRing.InRange(2, 10, 3));
        Assert.False(StateInfoRing.InRange(3, 10, 3));
        Assert.False(StateInfoRing.InRange(9, 10, 3));

        var ring = new StateInfoRing();
        foreach (var p in Enumerable.Range(0, 50))
        {
            ring.Add(Peer(p));
        }
        var start = StateInfoRing.Position(Peer(17));
        var order = ring.From(start).ToList();
        Assert.Equal(50, order.Count);
        Assert.Equal(Peer(17), order[0]);
        Assert.Equal(50, ring.Range(start, start).Count());
        Assert.All(ring.Range(start, start + (ulong.MaxValue / 4)), id => Assert.True(StateInfoRing.InRange(StateInfoRing.Position(id), start, start + (ulong.MaxValue / 4))));
    }
}
